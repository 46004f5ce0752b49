#include "harness/reporters/count_table.hpp"

#include "harness/reporters/table_reporter.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <string>
#include <tuple>

#include "harness/reporters/params.hpp"
#include "harness/reporters/table_cells.hpp"

namespace parbench {
namespace {

// Waking a worker costs tens of microseconds here (a cross-CPU wake-up on a VM): a repetition
// within a millisecond measures that more than the counter.
constexpr double kWakeUpScaleS = 1e-3;

// "1000 per worker, a lock per add", with the batch and think time where they are not the defaults.
std::string setting_text(const std::string& params) {
  std::string text = param(params, "increments") + " increments per worker";
  if (const std::string k = param(params, "batch"); !k.empty() && k != "1")
    text += ", adds of " + k;
  if (const std::string t = param(params, "think_ns"); !t.empty() && t != "0")
    text += ", " + t + " ns of work before each";
  text += param(params, "lock_scope") == "all"
              ? "; one lock around each worker's whole loop (the book's decorator): the workers "
                "take turns, one loop at a time"
              : "; a lock per add where the variant has one";
  return text;
}

// "151197 (149647-200000) / 200000": the median count reached, its range over the repetitions
// where they differ, and what was added.
std::string reached_text(const CountCell& c) {
  return c.reached_min == c.reached_max
             ? fmt::format("{} / {}", c.reached, c.expected)
             : fmt::format("{} ({}-{}) / {}", c.reached, c.reached_min, c.reached_max, c.expected);
}

}  // namespace

CountCell count_cell(const std::vector<RunRecord>& reps, const std::string& host,
                     IsControl is_control) {
  const RunRecord& first = reps.front();
  CountCell cell{.host = host,
                 .backend = first.backend,
                 .params = first.params,
                 .variant = first.ipc,
                 .workers = workers_text(first),
                 .control = is_control(first.ipc)};
  CellSamples samples;
  for (const auto& r : reps) {
    if (r.valid) samples.add("wall_s", r.wall_s);
    // A count was read: valid, or a safe counter that lost updates.
    if (const auto lost = find_measurement(r.measurements, "lost_updates")) {
      samples.add("reached", static_cast<double>(r.result));
      cell.expected = r.result + static_cast<std::uint64_t>(*lost);
    }
    samples.judge(r);
  }
  cell.valid = samples.valid;
  cell.error = samples.error;
  auto summaries = samples.summaries();
  cell.median_s = summaries["wall_s"].median;
  const Summary& reached = summaries["reached"];
  cell.reached = static_cast<std::uint64_t>(reached.median);
  cell.reached_min = static_cast<std::uint64_t>(reached.min);
  cell.reached_max = static_cast<std::uint64_t>(reached.max);
  return cell;
}

std::unique_ptr<Reporter> make_count_table(std::ostream& out, IsControl is_control) {
  return std::make_unique<TableReporter<CountCell>>(
      out, "count",
      [is_control](const ConfigResult& r, const std::string& host) {
        return count_cell(r.reps, host, is_control);
      },
      print_count_table);
}

void print_count_table(std::ostream& out, const std::vector<CountCell>& cells) {
  const auto key = [](const CountCell& c) { return std::make_tuple(c.host, c.backend, c.params); };
  for (const auto& group : groups_in_order(cells, key)) {
    const auto& [host, backend, params] = group;
    fmt::print(out, "\n# count: {} on {}, {}\n", backend, host, setting_text(params));
    // As wide as its widest entry (two spaces apart): counts in the millions with their range
    // overflow any fixed width.
    std::size_t width = std::string("reached (min-max) / expected").size() + 2;
    for (const auto& c : cells)
      if (key(c) == group && c.expected != 0) width = std::max(width, reached_text(c).size() + 2);
    fmt::print(out, "{:<24}{:>8}{:>{}}{:>13}{:>14}{:>7}\n", "variant", "workers",
               "reached (min-max) / expected", width, "median s", "ns/increment", "lost");
    bool wake_up_note = false;
    for (const auto& c : cells) {
      if (key(c) != group) continue;
      const std::string label = c.control ? c.variant + " (no lock)" : c.variant;
      if (c.expected == 0) {  // failed before any count was read
        fmt::print(out, "{:<24}{:>8}  FAILED: {}\n", label, c.workers, c.error);
        continue;
      }
      const std::string reached = reached_text(c);
      // A timed part of the order of waking the workers says little about the adds.
      const bool wake_up = c.median_s > 0 && c.median_s < kWakeUpScaleS;
      wake_up_note = wake_up_note || wake_up;
      const std::string time =
          c.median_s > 0 ? fmt::format("{:.6f}{}", c.median_s, wake_up ? "*" : "") : "-";
      const std::string per =
          c.median_s > 0 ? fmt::format("{:.1f}", c.median_s * 1e9 / static_cast<double>(c.expected))
                         : "-";
      const std::string lost =
          c.reached < c.expected
              ? fmt::format("{:.0f}%", 100.0 * static_cast<double>(c.expected - c.reached) /
                                           static_cast<double>(c.expected))
              : "0%";
      fmt::print(out, "{:<24}{:>8}{:>{}}{:>13}{:>14}{:>7}{}\n", label, c.workers, reached, width,
                 time, per, lost, c.valid ? "" : "  INVALID: " + c.error);
    }
    if (wake_up_note) {
      fmt::print(out,
                 "* under a millisecond: mostly the time to wake the workers, not the adds; take "
                 "ns/increment from a larger --increments\n");
    }
  }
  out.flush();
}

}  // namespace parbench
