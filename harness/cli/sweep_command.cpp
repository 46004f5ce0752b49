// parbench sweep: the book's chunk-size experiments on the primes kernel. Chunk sizes 1, 2, 4, ...,
// 32768 and 50000, and the chunk sizes that cut the range into 1 to 4 x workers chunks, in order
// and shuffled, under the dynamic schedule (what multiprocessing.Pool.map does with a chunksize).
// It prints the U-shaped curve over chunk sizes, the saw-tooth over the number of chunks, and the
// best chunk size per backend; rows go to --csv/--json like any run.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "harness/cli/commands.hpp"
#include "harness/cli/run_matrix.hpp"

namespace parbench::cli {
namespace {

// Collects the sweep's results and prints the two curves and the winners at the end.
class SweepReporter final : public Reporter {
 public:
  void begin(const RunContext& /*context*/) override {}
  void report(const ConfigResult& result) override {
    if (result.wall.count > 0 && result.first().chunk > 0) results_.push_back(result);
  }
  void end() override {
    // (backend, workers, order) -> chunk -> median
    std::map<std::string, std::map<std::uint64_t, double>> curves;
    std::map<std::string, std::uint64_t> sizes;
    for (const auto& r : results_) {
      const auto& f = r.first();
      const bool shuffled = f.params.find("shuffle=") != std::string::npos;
      const std::string key = fmt::format("{} {} workers={} {}", f.backend, f.schedule, f.workers,
                                          shuffled ? "shuffled" : "in order");
      curves[key][f.chunk] = r.wall.median;
      sizes[key] = f.size;
    }
    fmt::print(
        "\n# chunk-size sweep: median seconds by chunk size (U-shape) and by number of chunks "
        "(saw-tooth)\n");
    for (const auto& [key, curve] : curves) {
      fmt::print("{}\n  chunk size:", key);
      for (const auto& [chunk, t] : curve) fmt::print(" {}:{:.4f}", chunk, t);
      fmt::print("\n  chunks:    ");
      std::map<std::uint64_t, double> by_count;
      for (const auto& [chunk, t] : curve) by_count.emplace(chunk_count(sizes[key], chunk), t);
      for (const auto& [count, t] : by_count) {
        if (count <= 64) fmt::print(" {}:{:.4f}", count, t);
      }
      const auto best =
          std::min_element(curve.begin(), curve.end(),
                           [](const auto& a, const auto& b) { return a.second < b.second; });
      fmt::print("\n  best chunk size: {} ({:.4f} s, {} chunks)\n", best->first, best->second,
                 chunk_count(sizes[key], best->first));
    }
  }

 private:
  std::vector<ConfigResult> results_;
};

}  // namespace

void setup_sweep_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "sweep", "The book's chunk-size sweep on the primes kernel (range B, in order and shuffled)");
  auto options = std::make_shared<RunOptions>();
  auto reporter = std::make_shared<SweepReporter>();
  options->kernels = {"primes"};
  options->specs.clear();
  options->specs.push_back(make_primes_spec({"B"}, {"in", "shuffled"}));
  options->schedules = {"dynamic"};
  options->workers = {"auto"};
  options->repeat = "3";
  options->extra_reporter = reporter.get();
  options->adjust_plan = [](RunPlan& plan) {
    // Chunk sizes of the book's sweep, and those giving 1 to 4 x workers chunks.
    std::set<std::uint64_t> chunks{50000};
    for (std::uint64_t c = 1; c <= 32768; c *= 2) chunks.insert(c);
    const std::uint64_t size = plan.workloads.front()->size();
    const int most_workers = *std::max_element(plan.workers.begin(), plan.workers.end());
    for (std::uint64_t n = 1; n <= static_cast<std::uint64_t>(4 * most_workers); ++n) {
      chunks.insert((size + n - 1) / n);
    }
    plan.chunks.assign(chunks.begin(), chunks.end());
  };
  add_matrix_options(*cmd, *options);
  cmd->callback([options, reporter, &exit_code] { exit_code = run_matrix(*options); });
}

}  // namespace parbench::cli
