#include "harness/reporters/console_reporter.hpp"

#include "harness/records/statistics.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

namespace parbench {
namespace {

// The ipc column's width is the second argument: as wide as the longest name the run has.
constexpr const char* kRowFormat =
    "{:<8} {:<11} {:<{}} {:<13} {:>7} {:>10} {:>7} {:>10} {:>10} {:>9} {:>10} {:>8} {:>5} {:>8} "
    "{:>6}  "
    "{}\n";

std::string rate(double per_second) {
  if (per_second <= 0.0) return "-";
  return fmt::format("{:.3g}/s", per_second);
}

std::string optional_number(const std::optional<double>& v, const char* format) {
  return v ? fmt::format(fmt::runtime(format), *v) : std::string("-");
}

}  // namespace

void ConsoleReporter::begin(const RunContext& context) {
  const auto& m = context.machine;
  fmt::print(out_, "# {} | {} | {} hardware threads | {} | {} build, {}\n", m.host, m.cpu_model,
             m.logical_cpus, m.os, m.build_type, m.compiler);
  fmt::print(out_, "# run {} at {}\n", context.run_id, context.timestamp);
}

void ConsoleReporter::report(const ConfigResult& result) {
  if (!header_done_) {
    fmt::print(out_, kRowFormat, "kernel", "backend", "ipc", ipc_width_, "schedule", "workers",
               "median_s", "spread", "min_s", "max_s", "setup_s", "throughput", "speedup", "eff",
               "su+setup", "imbal", "result");
    header_done_ = true;
  }
  ++configurations_;
  const RunRecord& r = result.first();
  std::string verdict = result.valid ? "ok" : "INVALID: " + result.error;
  if (result.valid && !r.params.empty()) verdict = "ok (" + r.params + ")";
  // A negative control's lost updates are its finding: say them, not a bare "ok".
  std::vector<double> lost;
  double expected = 0;
  for (const auto& rep : result.reps) {
    const auto n = find_measurement(rep.measurements, "lost_updates");
    if (!n || rep.rep == 0) continue;
    lost.push_back(*n);
    expected = static_cast<double>(rep.result) + *n;
  }
  const double median = summarize(lost).median;  // 0 for no counter
  if (result.valid && median > 0 && expected > 0) {
    verdict = fmt::format("ok, lost {:.0f} of {:.0f} updates ({:.0f}%, median; no lock) ({})",
                          median, expected, 100.0 * median / expected, r.params);
  }
  if (!result.valid) ++failures_;
  const bool timed = result.wall.count > 0;
  const std::string schedule =
      r.chunk == 0 ? r.schedule : fmt::format("{}/{}", r.schedule, r.chunk);
  fmt::print(out_, kRowFormat, r.kernel, r.backend, r.ipc, ipc_width_, schedule, workers_text(r),
             timed ? fmt::format("{:.4f}", result.wall.median) : "-",
             // one repetition has no spread
             result.wall.count > 1 ? fmt::format("{:.1f}%", result.wall.mdape_pct) : "-",
             timed ? fmt::format("{:.4f}", result.wall.min) : "-",
             timed ? fmt::format("{:.4f}", result.wall.max) : "-", fmt::format("{:.4f}", r.setup_s),
             rate(result.throughput), optional_number(result.speedup, "{:.2f}x"),
             optional_number(result.efficiency, "{:.2f}"),
             optional_number(result.speedup_with_setup, "{:.2f}x"),
             fmt::format("{:.2f}", result.imbalance), verdict);
  out_.flush();
}

void ConsoleReporter::end() {
  if (configurations_ == 0) return;
  fmt::print(out_,
             "# {} configuration(s), {} invalid or failed. spread = median absolute deviation "
             "/ median; eff = speedup / threads (workers x threads per rank); su+setup = speedup "
             "with each side's "
             "setup time added; imbal = slowest / mean worker busy time\n",
             configurations_, failures_);
}

}  // namespace parbench
