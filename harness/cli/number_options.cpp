#include "harness/cli/number_options.hpp"

#include <fmt/format.h>

#include <string>

#include "harness/parse.hpp"

namespace parbench::cli {

CLI::Validator whole_number(int min, int max) {
  return CLI::Validator(
      [min, max](std::string& text) {
        std::string why = small_int_problem(text, min, max);
        if (why.empty()) text = std::to_string(std::stoi(text));  // "010": ten
        return why;
      },
      fmt::format("{} to {}", min, max));
}

CLI::Validator seconds(double min, double max) {
  return CLI::Validator([min, max](std::string& text) { return seconds_problem(text, min, max); },
                        fmt::format("{:g} to {:g} s", min, max));
}

}  // namespace parbench::cli
