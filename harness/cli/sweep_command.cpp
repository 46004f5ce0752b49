// parbench sweep: the book's chunk-size experiments on the primes kernel. Chunk sizes 1, 2, 4, ...,
// 32768 and 50000, and the chunk sizes that cut each range into 1 to 4 x workers chunks (or the
// sizes given with --chunk), in order and shuffled, under the dynamic schedule (what
// multiprocessing.Pool.map does with a chunksize). It prints, per algorithm, range and order, the
// U-shaped curve over chunk sizes, the saw-tooth over the number of chunks, and the best chunk
// size per backend; rows go to --csv/--json like any run.
#include <fmt/format.h>
#include <fmt/ostream.h>

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
  explicit SweepReporter(std::ostream& out) : out_(out) {}
  void begin(const RunContext& /*context*/) override {}
  void report(const ConfigResult& result) override {
    if (result.wall.count > 0) results_.push_back(result);
  }
  void end() override {
    // One curve per (backend, schedule, workers, workload): algorithms, ranges and orders are
    // different work and never share a curve. Chunkless schedules (static, auto) are one point,
    // printed as a reference under the curves of the same backend, workers and workload.
    std::map<std::string, std::map<std::uint64_t, double>> curves;
    std::map<std::string, std::uint64_t> sizes;
    std::map<std::string, std::vector<std::string>> references;  // by workload and workers
    for (const auto& r : results_) {
      const auto& f = r.first();
      const std::string workload = fmt::format("{} workers={} {}", f.backend, f.workers, f.params);
      if (f.chunk == 0) {
        references[workload].push_back(fmt::format("{}: {:.4f} s", f.schedule, r.wall.median));
        continue;
      }
      const std::string key = fmt::format("{} {}", workload, f.schedule);
      curves[key][f.chunk] = r.wall.median;
      sizes[key] = f.size;
    }
    fmt::print(out_,
               "\n# chunk-size sweep: median seconds by chunk size (U-shape) and by number of "
               "chunks (saw-tooth)\n");
    for (const auto& [key, curve] : curves) {
      fmt::print(out_, "{}\n  chunk size:", key);
      for (const auto& [chunk, t] : curve) fmt::print(out_, " {}:{:.4f}", chunk, t);
      fmt::print(out_, "\n  chunks:    ");
      std::map<std::uint64_t, double> by_count;
      for (const auto& [chunk, t] : curve) by_count.emplace(chunk_count(sizes[key], chunk), t);
      for (const auto& [count, t] : by_count) {
        if (count <= 64) fmt::print(out_, " {}:{:.4f}", count, t);
      }
      const auto best =
          std::min_element(curve.begin(), curve.end(),
                           [](const auto& a, const auto& b) { return a.second < b.second; });
      fmt::print(out_, "\n  best chunk size: {} ({:.4f} s, {} chunks)\n", best->first, best->second,
                 chunk_count(sizes[key], best->first));
    }
    for (const auto& [workload, lines] : references)
      fmt::print(out_, "{}\n  {}\n", workload, fmt::join(lines, "\n  "));
    out_.flush();
  }

 private:
  std::ostream& out_;
  std::vector<ConfigResult> results_;
};

// The book's chunk sizes, and for every range those that cut it into 1 to 4 x workers chunks.
void add_sweep_chunks(RunPlan& plan) {
  std::set<std::uint64_t> chunks{50000};
  for (std::uint64_t c = 1; c <= 32768; c *= 2) chunks.insert(c);
  const int most_workers = *std::max_element(plan.workers.begin(), plan.workers.end());
  for (const auto& work : plan.workloads) {
    for (std::uint64_t n = 1; n <= static_cast<std::uint64_t>(4 * most_workers); ++n)
      chunks.insert((work->size() + n - 1) / n);
  }
  plan.chunks.assign(chunks.begin(), chunks.end());
}

}  // namespace

void setup_sweep_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "sweep", "The book's chunk-size sweep on the primes kernel (range B, in order and shuffled)");
  auto options = std::make_shared<RunOptions>();
  options->kernels = {"primes"};
  options->specs.clear();
  options->specs.push_back(make_primes_spec({"B"}, {"in", "shuffled"}, nullptr));
  options->schedules = {"dynamic"};
  options->workers = {"auto"};
  options->repeat = 3;
  options->chunks.clear();  // --chunk replaces the sweep's own sizes
  options->make_extra_reporter = [](std::ostream& human) {
    return std::make_unique<SweepReporter>(human);
  };
  options->adjust_plan = [](RunPlan& plan) {
    if (plan.chunks.empty()) add_sweep_chunks(plan);
  };
  add_matrix_options(*cmd, *options);
  cmd->callback([options, &exit_code] { exit_code = run_matrix(*options); });
}

}  // namespace parbench::cli
