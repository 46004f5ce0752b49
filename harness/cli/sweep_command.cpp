// parbench sweep: the book's chunk-size experiments on the primes kernel. Chunk sizes 1, 2, 4, ...,
// 32768 and 50000, and the chunk sizes that cut each range into 1 to 4 x workers chunks (or the
// sizes given with --chunk), in order and shuffled, under the dynamic schedule (what
// multiprocessing.Pool.map does with a chunksize). It prints, per algorithm, range and order, the
// U-shaped curve over chunk sizes, the saw-tooth over the number of chunks, and the best chunk
// size per backend; rows go to --csv/--json like any run. With --for-ranks R[:S], each dynamic
// curve also says the smallest chunk that keeps efficiency 0.9 on R MPI ranks of a cluster, from
// the time per item it measured (chunk_advice.hpp).
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "harness/cli/chunk_advice.hpp"
#include "harness/cli/commands.hpp"
#include "harness/cli/run_matrix.hpp"

namespace parbench::cli {
namespace {

// Collects the sweep's results and prints the two curves and the winners at the end.
class SweepReporter final : public Reporter {
 public:
  SweepReporter(std::ostream& out, std::optional<ForRanks> for_ranks)
      : out_(out), for_ranks_(std::move(for_ranks)) {}
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
    std::map<std::string, std::map<std::uint64_t, double>> item_seconds;  // by curve and chunk
    std::set<std::string> dynamic;
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
      item_seconds[key][f.chunk] = seconds_per_item(r);
      if (f.schedule == "dynamic") dynamic.insert(key);
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
      if (for_ranks_ && dynamic.contains(key)) {
        print_cluster_chunks(item_seconds[key][best->first], sizes[key]);
      }
    }
    for (const auto& [workload, lines] : references)
      fmt::print(out_, "{}\n  {}\n", workload, fmt::join(lines, "\n  "));
    out_.flush();
  }

 private:
  // t, what one worker spends per item, its overheads included: the CPU time of the valid
  // repetitions per item (median), which a machine busy with other work does not inflate; the
  // median wall time x workers where a backend records no CPU time.
  static double seconds_per_item(const ConfigResult& r) {
    const auto& f = r.first();
    std::vector<double> cpu;
    for (const auto& rep : r.reps) {
      if (rep.valid && rep.cpu_s > 0) cpu.push_back(rep.cpu_s);
    }
    const auto items = static_cast<double>(f.size);
    if (cpu.empty()) return r.wall.median * total_threads(f) / items;
    std::nth_element(cpu.begin(), cpu.begin() + cpu.size() / 2, cpu.end());
    return cpu[cpu.size() / 2] / items;
  }

  // The smallest chunk for efficiency 0.9 on R ranks of each network, or why dynamic cannot.
  void print_cluster_chunks(double t, std::uint64_t items) {
    const int ranks = for_ranks_->ranks;
    fmt::print(out_,
               "  on {} MPI ranks dynamic's efficiency is at most c*t/(R*s) * K/(K+R-1), K = N/c "
               "chunks; for {}, with t = {:.6g} s per item (CPU time at the best chunk) and "
               "N = {}:\n",
               ranks, kTargetEfficiency, t, items);
    std::vector<ChunkNetwork> networks = documented_networks();
    if (for_ranks_->service_s) networks = {{"your network", *for_ranks_->service_s}};
    constexpr const char* kInstead =
        "use static (items of equal cost) or cyclic (cost drifting along the range)";
    for (const auto& net : networks) {
      const ChunkAdvice a = smallest_chunk(ranks, net.service_s, t, items);
      fmt::print(out_, "    {} (s = {:.6g} us): ", net.name, net.service_s * 1e6);
      if (!a.possible) {
        fmt::print(out_, "no chunk: rank 0's {} last answers outweigh the work; {}\n", ranks - 1,
                   kInstead);
        continue;
      }
      fmt::print(out_, "smallest chunk {}, {:.3g} chunks per rank", a.chunk, a.chunks_per_rank);
      if (a.dynamic_holds) {
        fmt::print(out_, ": dynamic\n");
      } else {
        fmt::print(out_, " (under {:g}): {}\n", kFewestChunksPerRank, kInstead);
      }
    }
  }

  std::ostream& out_;
  std::optional<ForRanks> for_ranks_;
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
  auto for_ranks = std::make_shared<std::string>();
  options->make_extra_reporter = [for_ranks](std::ostream& human) {
    std::optional<ForRanks> parsed;
    if (!for_ranks->empty()) parsed = parse_for_ranks(*for_ranks);
    return std::make_unique<SweepReporter>(human, parsed);
  };
  options->adjust_plan = [](RunPlan& plan) {
    if (plan.chunks.empty()) add_sweep_chunks(plan);
  };
  add_matrix_options(*cmd, *options);
  cmd->add_option(
      "--for-ranks", *for_ranks,
      "R[:S]: also say, per dynamic curve, the smallest chunk that keeps efficiency 0.9 "
      "on R MPI ranks of a cluster whose rank 0 spends S us per chunk (default: this "
      "VM's TCP, 10 GbE and an InfiniBand fat tree; docs/clusters.md section 7)");
  cmd->callback([options, for_ranks, &exit_code] {
    if (!for_ranks->empty()) parse_for_ranks(*for_ranks);  // bad input before anything runs
    exit_code = run_matrix(*options);
  });
}

}  // namespace parbench::cli
