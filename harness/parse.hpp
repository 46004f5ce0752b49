// Parsing of the numbers and lists users type. Every failure is a UsageError naming the option.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parbench {

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

// A duration in seconds, a finite decimal number in [min, max] ("0.5", "60", "1e-3"): nan, inf,
// signs out of range and other text are refused with the bounds as written.
double parse_seconds(std::string_view text, std::string_view option, double min, double max);

// A non-negative integer option such as --repeat.
int parse_small_int(std::string_view text, std::string_view option, int min, int max);

}  // namespace parbench
