#include "harness/backends/parse.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "harness/records/errors.hpp"

namespace parbench {
namespace {

constexpr int kMaxWorkers = 4096;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// The one wording of every number error, whatever the option and whatever was wrong.
std::string number_problem(std::string_view text, std::uint64_t min, std::uint64_t max,
                           bool scientific) {
  return fmt::format("must be a whole number from {} to {}{}; got '{}'", bound_text(min),
                     bound_text(max), scientific ? " (1e9 notation allowed)" : "", text);
}

[[noreturn]] void bad_number(std::string_view text, std::string_view option, std::uint64_t min,
                             std::uint64_t max, bool scientific) {
  throw UsageError(fmt::format("{} {}", option, number_problem(text, min, max, scientific)));
}

}  // namespace

std::string bound_text(std::uint64_t v) {
  if (v == std::numeric_limits<std::uint64_t>::max()) return "2^64-1";
  if (v == kMaxCount) return "2^63";
  return std::to_string(v);
}

std::optional<std::uint64_t> read_integer(std::string_view text, std::uint64_t min,
                                          std::uint64_t max) {
  // Exact integer arithmetic on mantissa digits and exponent: no rounding through double.
  std::string_view mantissa = text;
  int exponent = 0;
  if (const auto e = text.find_first_of("eE"); e != std::string_view::npos) {
    const std::string_view exp_text = text.substr(e + 1);
    if (!all_digits(exp_text) || exp_text.size() > 2) return std::nullopt;
    exponent = std::stoi(std::string(exp_text));
    mantissa = text.substr(0, e);
  }
  std::string digits(mantissa);
  if (const auto dot = mantissa.find('.'); dot != std::string_view::npos) {
    const std::string_view fraction = mantissa.substr(dot + 1);
    digits = std::string(mantissa.substr(0, dot)) + std::string(fraction);
    exponent -= static_cast<int>(fraction.size());
  }
  if (!all_digits(digits)) return std::nullopt;
  while (exponent < 0) {  // trailing fraction digits must be zeros
    if (digits.back() != '0') return std::nullopt;
    digits.pop_back();
    ++exponent;
  }
  const auto first = digits.find_first_not_of('0');
  digits = first == std::string::npos
               ? "0"
               : digits.substr(first) + std::string(static_cast<std::size_t>(exponent), '0');
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || value > max || value < min) return std::nullopt;
  return value;
}

std::string integer_problem(std::string_view text, std::uint64_t min, std::uint64_t max) {
  return read_integer(text, min, max) ? std::string() : number_problem(text, min, max, true);
}

std::uint64_t parse_integer(std::string_view text, std::string_view option, std::uint64_t min,
                            std::uint64_t max) {
  const auto value = read_integer(text, min, max);
  if (!value) bad_number(text, option, min, max, true);
  return *value;
}

std::uint64_t parse_count(std::string_view text, std::string_view option) {
  return parse_integer(text, option, 1, kMaxCount);
}

std::string u64_problem(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    return number_problem(text, 0, std::numeric_limits<std::uint64_t>::max(), false);
  return {};
}

std::uint64_t parse_u64(std::string_view text, std::string_view option) {
  if (const std::string why = u64_problem(text); !why.empty())
    throw UsageError(fmt::format("{} {}", option, why));
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string small_int_problem(std::string_view text, int min, int max) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return number_problem(text, static_cast<std::uint64_t>(min), static_cast<std::uint64_t>(max),
                          false);
  }
  return {};
}

int parse_small_int(std::string_view text, std::string_view option, int min, int max) {
  if (const std::string why = small_int_problem(text, min, max); !why.empty())
    throw UsageError(fmt::format("{} {}", option, why));
  int value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::vector<int> parse_workers(const std::vector<std::string>& items, int auto_value) {
  auto count = [&](std::string_view t) {
    if (t == "auto") return auto_value;
    return parse_small_int(t, "--workers", 1, kMaxWorkers);
  };
  std::vector<int> out;
  auto add = [&](int w) {
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  };
  for (const std::string& item : items) {
    const auto c1 = item.find(':');
    if (c1 == std::string::npos) {
      add(count(item));
      continue;
    }
    const auto c2 = item.find(':', c1 + 1);
    const int lo = count(std::string_view(item).substr(0, c1));
    const int hi = count(std::string_view(item).substr(
        c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1));
    std::string step = c2 == std::string::npos ? "+1" : item.substr(c2 + 1);
    const bool geometric = !step.empty() && step[0] == '*';
    if (!step.empty() && (step[0] == '*' || step[0] == '+')) step.erase(0, 1);
    const int k = parse_small_int(step, "--workers step", geometric ? 2 : 1, kMaxWorkers);
    if (lo > hi) throw UsageError(fmt::format("--workers range '{}' runs backwards", item));
    for (int w = lo; w <= hi; w = geometric ? w * k : w + k) add(w);
  }
  if (out.empty()) throw UsageError("--workers needs at least one count");
  return out;
}

std::string seconds_problem(std::string_view text, double min, double max) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      value < min || value > max) {
    return fmt::format("must be a number of seconds from {:g} to {:g}; got '{}'", min, max, text);
  }
  return {};
}

}  // namespace parbench
