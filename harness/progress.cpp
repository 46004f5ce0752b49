#include "harness/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

#include "harness/records/clock.hpp"

namespace parbench {
namespace {

// 10 s; PARBENCH_PROGRESS_INTERVAL_S changes it (tests, very long or very chatty jobs).
double line_interval_s() {
  static const double interval = [] {
    const char* text = std::getenv("PARBENCH_PROGRESS_INTERVAL_S");
    return text != nullptr ? std::strtod(text, nullptr) : 10.0;
  }();
  return interval;
}

// Shared by every configuration: the first line comes 10 s into the run.
double last_line_s = monotonic_s();

}  // namespace

Progress::Progress(bool quiet) {
  const char* term = std::getenv("TERM");
  const bool dumb = term == nullptr || std::string_view(term) == "dumb";
  mode_ = quiet ? Mode::kOff : isatty(STDERR_FILENO) != 0 && !dumb ? Mode::kInPlace : Mode::kLines;
}

void Progress::show(const std::string& text) {
  if (mode_ == Mode::kInPlace) fmt::print(stderr, "\r\033[K{}", text);
  if (mode_ == Mode::kLines && monotonic_s() - last_line_s >= line_interval_s()) {
    fmt::print(stderr, "parbench: progress: {}\n", text);
    last_line_s = monotonic_s();
  }
}

void Progress::clear() {
  if (mode_ == Mode::kInPlace) fmt::print(stderr, "\r\033[K");
}

}  // namespace parbench
