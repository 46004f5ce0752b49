#include "harness/reporters/fill_table.hpp"

#include "harness/reporters/table_reporter.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <tuple>

#include "harness/reporters/params.hpp"
#include "harness/reporters/table_cells.hpp"

namespace parbench {
namespace {

// "4936 x 320000 doubles (11.8 GiB), ids, pages populated before the workers write".
std::string array_text(std::uint64_t rows, const std::string& params) {
  const std::uint64_t cols = std::stoull(param(params, "cols"));
  const double gib = static_cast<double>(rows * cols * 8) / double(1ULL << 30);
  std::string text = fmt::format("{} x {} doubles ({:.2f} GiB), ", rows, cols, gib);
  text += param(params, "fill") == "id"
              ? "each row its worker's id"
              : "random rows, " + std::string(param(params, "rng") == "inherited"
                                                  ? "one generator inherited by every worker"
                                                  : "a counter-based stream per row");
  const std::string touch = param(params, "first_touch");
  text += touch == "workers"    ? ", each worker faulting in its own rows' pages"
          : touch == "populate" ? ", pages populated before the workers write"
                                : ", pages faulted in by the parent writing the default";
  return text;
}

std::string number(const std::map<std::string, double>& m, const std::string& key,
                   const char* format) {
  const auto it = m.find(key);
  return it == m.end() ? "-" : fmt::format(fmt::runtime(format), it->second);
}

}  // namespace

FillCell fill_cell(const std::vector<RunRecord>& reps, const std::string& host) {
  const RunRecord& first = reps.front();
  FillCell cell{.host = host,
                .backend = first.backend,
                .size = first.size,
                .params = first.params,
                .variant = first.ipc,
                .workers = workers_text(first)};
  // The census and duplicates of every repetition; the costs of the valid ones, or, where none was
  // valid, of the repetitions that ran (the row says INVALID: a time it took is still a finding).
  const bool any_valid =
      std::any_of(reps.begin(), reps.end(), [](const RunRecord& r) { return r.valid; });
  CellSamples samples;
  for (const auto& r : reps) {
    const bool costs = r.valid || (!any_valid && r.rep > 0);
    for (const auto& m : r.measurements) {
      if (costs || m.name.starts_with("census") || m.name == "duplicated_rows")
        samples.add(m.name, m.value);
    }
    samples.judge(r);
  }
  cell.valid = samples.valid;
  cell.error = samples.error;
  for (const auto& [name, summary] : samples.summaries()) cell.medians[name] = summary.median;
  return cell;
}

std::unique_ptr<Reporter> make_fill_table(std::ostream& out) {
  return std::make_unique<TableReporter<FillCell>>(
      out, "fill",
      [](const ConfigResult& r, const std::string& host) { return fill_cell(r.reps, host); },
      print_fill_table);
}

void print_fill_table(std::ostream& out, const std::vector<FillCell>& cells) {
  const auto key = [](const FillCell& c) { return std::make_tuple(c.host, c.size, c.params); };
  for (const auto& group : groups_in_order(cells, key)) {
    const auto& [host, size, params] = group;
    fmt::print(out, "\n# fill on {}: {}\n", host, array_text(size, params));
    const bool ids = param(params, "fill") == "id";
    fmt::print(out, "{:<11}{:<11}{:>8}{:>8}{:>8}{:>10}{:>10}{:>10}{:>12}  {}\n", "variant",
               "backend", "workers", "GB/s", "memset", "faults", "PSS MiB", "RSS MiB", "copied MiB",
               ids ? "census: ids, rows per id" : "duplicated rows");
    for (const auto& c : cells) {
      if (key(c) != group) continue;
      const auto& m = c.medians;
      const auto copied = m.find("bytes_copied");
      const std::string copied_mib =
          copied == m.end() ? "-" : fmt::format("{:.0f}", copied->second / double(1 << 20));
      const std::string census = ids ? fmt::format("{}, {}-{}", number(m, "census_ids", "{:.0f}"),
                                                   number(m, "census_min_rows", "{:.0f}"),
                                                   number(m, "census_max_rows", "{:.0f}"))
                                     : number(m, "duplicated_rows", "{:.0f}");
      fmt::print(out, "{:<11}{:<11}{:>8}{:>8}{:>8}{:>10}{:>10}{:>10}{:>12}  {}{}\n", c.variant,
                 c.backend, c.workers, number(m, "gbs", "{:.2f}"),
                 number(m, "memset_gbs", "{:.1f}"), number(m, "minor_faults", "{:.0f}"),
                 number(m, "pss_mb", "{:.1f}"), number(m, "rss_mb", "{:.1f}"), copied_mib, census,
                 c.valid ? "" : "  INVALID: " + c.error);
    }
  }
  out.flush();
}

}  // namespace parbench
