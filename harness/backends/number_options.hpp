// Checks for options that take one number, made by CLI11 where it parses them, so that the option
// is bound to an int or a double and nothing parses its text later. The words are parse.hpp's,
// after the option's name as CLI11 puts it: "--repeat: must be a whole number from 1 to 10000;
// got '0'" (one line on stderr, exit code 2, as every bad input). Lists (--workers 1:auto:*2,auto,
// --chunk 300,1000) stay text, parsed by parse.hpp.
#pragma once

#include <CLI/Error.hpp>  // before Validators.hpp, which uses it without including it
#include <CLI/Validators.hpp>
#include <cstdint>

namespace parbench {

// Decimal digits only, in [min, max]; the text is rewritten as the number, so that CLI11's own
// conversion (strtoll with base 0) never reads "010" as octal or "0x10" as hexadecimal.
CLI::Validator whole_number(int min, int max);
// A count in [min, max], in digits or 1e9 notation (parse_integer's), rewritten as its digits for
// an option bound to a std::uint64_t.
CLI::Validator whole_count(std::uint64_t min, std::uint64_t max);
// Any 64-bit unsigned integer in decimal digits (parse_u64's: seeds).
CLI::Validator any_u64();
// A finite decimal number of seconds in [min, max] ("0.5", "60", "1e-3").
CLI::Validator seconds(double min, double max);

}  // namespace parbench
