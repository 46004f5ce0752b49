// Parsing of the numbers and lists users type. Every failure is a UsageError naming the option.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parbench {

// The largest count (parse_count's bound): a total of counts still fits 64 bits.
inline constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 63;
// A bound as the messages write it: "2^63", "2^64-1", or the number.
std::string bound_text(std::uint64_t v);

// A positive integer written as digits or in scientific notation: "100000000", "1e8", "2.5e9".
// Rejects fractions ("1.5"), signs, other text and values over 2^63.
std::uint64_t parse_count(std::string_view text, std::string_view option);
// The same notation for any value in [min, max], zero included.
std::uint64_t parse_integer(std::string_view text, std::string_view option, std::uint64_t min,
                            std::uint64_t max);

// Worker counts: a list of items, each "N", "auto" (the usable hardware threads) or a range
// "lo:hi[:step]" whose step is "+k" (the default, k = 1), "k" or "*k" (geometric), hi may be
// "auto". Duplicates are dropped, order is kept.
std::vector<int> parse_workers(const std::vector<std::string>& items, int auto_value);

// Any 64-bit unsigned integer in decimal digits (seeds).
std::uint64_t parse_u64(std::string_view text, std::string_view option);

// A non-negative integer option such as --repeat.
int parse_small_int(std::string_view text, std::string_view option, int min, int max);

// What is wrong with `text` as parse_small_int's number, without the option's name ("must be a
// whole number from 1 to 10000; got '0'"); empty when nothing. For the checks that CLI11 makes
// where it parses an option (harness/backends/number_options.hpp), which name it first.
std::string small_int_problem(std::string_view text, int min, int max);
// parse_integer's number (1e9 notation allowed) in [min, max], or nullopt; and what is wrong with
// `text` as one, without the option's name (empty when nothing).
std::optional<std::uint64_t> read_integer(std::string_view text, std::uint64_t min,
                                          std::uint64_t max);
std::string integer_problem(std::string_view text, std::uint64_t min, std::uint64_t max);
// What is wrong with `text` as parse_u64's number (decimal digits, any 64-bit value).
std::string u64_problem(std::string_view text);
// The same for a duration in seconds, a finite decimal number in [min, max] ("0.5", "60",
// "1e-3"): nan, inf, numbers out of range and other text are refused with the bounds as written.
std::string seconds_problem(std::string_view text, double min, double max);

}  // namespace parbench
