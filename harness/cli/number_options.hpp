// Checks for options that take one number, made by CLI11 where it parses them, so that the option
// is bound to an int or a double and nothing parses its text later. The words are parse.hpp's,
// after the option's name as CLI11 puts it: "--repeat: must be a whole number from 1 to 10000;
// got '0'" (one line on stderr, exit code 2, as every bad input). Lists (--workers 1:auto:*2,auto,
// --chunk 300,1000) stay text, parsed by parse.hpp.
#pragma once

#include <CLI/Error.hpp>  // before Validators.hpp, which uses it without including it
#include <CLI/Validators.hpp>

namespace parbench::cli {

// Decimal digits only, in [min, max]; the text is rewritten as the number, so that CLI11's own
// conversion (strtoll with base 0) never reads "010" as octal or "0x10" as hexadecimal.
CLI::Validator whole_number(int min, int max);
// A finite decimal number of seconds in [min, max] ("0.5", "60", "1e-3").
CLI::Validator seconds(double min, double max);

}  // namespace parbench::cli
