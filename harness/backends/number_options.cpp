#include "harness/backends/number_options.hpp"

#include <fmt/format.h>

#include <string>

#include "harness/backends/parse.hpp"

namespace parbench {

CLI::Validator whole_number(int min, int max) {
  return CLI::Validator(
      [min, max](std::string& text) {
        std::string why = small_int_problem(text, min, max);
        if (why.empty()) text = std::to_string(std::stoi(text));  // "010": ten
        return why;
      },
      fmt::format("{} to {}", min, max));
}

CLI::Validator whole_count(std::uint64_t min, std::uint64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) {
        const auto value = read_integer(text, min, max);
        if (!value) return integer_problem(text, min, max);
        text = std::to_string(*value);  // "1e6": a million
        return std::string();
      },
      fmt::format("{} to {}", bound_text(min), bound_text(max)));
}

CLI::Validator any_u64() {
  return CLI::Validator(
      [](std::string& text) {
        std::string why = u64_problem(text);
        if (why.empty()) text = std::to_string(std::stoull(text));  // "010": ten, not octal
        return why;
      },
      "");
}

CLI::Validator seconds(double min, double max) {
  return CLI::Validator([min, max](std::string& text) { return seconds_problem(text, min, max); },
                        fmt::format("{:g} to {:g} s", min, max));
}

}  // namespace parbench
