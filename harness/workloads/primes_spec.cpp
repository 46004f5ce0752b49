// primes: count the primes of a range by testing every number (the book's "Finding prime numbers"),
// with trial division, Miller-Rabin or a segmented sieve. One work item is one number; `result` is
// the exact count, checked against known values and across algorithms and backends. With --ipc
// <counter> the counts are published through a shared counter (harness/workloads/publishing.hpp).
#include <fmt/format.h>

#include <unistd.h>
#include <cstdio>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <random>

#include "harness/backends/number_options.hpp"
#include "harness/backends/parse.hpp"
#include "harness/records/errors.hpp"
#include "harness/workloads/kernel_spec.hpp"
#include "harness/workloads/memory_budget.hpp"
#include "harness/workloads/publishing.hpp"
#include "kernels/primes.hpp"

namespace parbench {
namespace {

struct NamedRange {
  const char* name;
  std::uint64_t lo;
  std::uint64_t hi;
};
// The book's ranges A to E.
constexpr std::array<NamedRange, 5> kNamedRanges{{{"A", 100'000'000, 100'010'000},
                                                  {"B", 100'000'000, 100'100'000},
                                                  {"C", 100'000'000, 101'000'000},
                                                  {"D", 1'000'000'000, 1'000'100'000},
                                                  {"E", 100'000'000'000, 100'000'100'000}}};

struct KnownCount {
  std::uint64_t lo;
  std::uint64_t hi;
  std::uint64_t primes;
};
// Published counts: the book's ranges and pi(10^k). A range starting at 0, 1 or 2 has pi(hi - 1).
constexpr std::array<KnownCount, 10> kKnownCounts{{{100'000'000, 100'010'000, 551},
                                                   {100'000'000, 100'100'000, 5'411},
                                                   {100'000'000, 101'000'000, 54'208},
                                                   {1'000'000'000, 1'000'100'000, 4'832},
                                                   {100'000'000'000, 100'000'100'000, 4'019},
                                                   {0, 1'000'000, 78'498},
                                                   {0, 10'000'000, 664'579},
                                                   {0, 100'000'000, 5'761'455},
                                                   {0, 1'000'000'000, 50'847'534},
                                                   {0, 10'000'000'000, 455'052'511}}};

std::optional<std::uint64_t> known_count(std::uint64_t lo, std::uint64_t hi) {
  for (const auto& k : kKnownCounts) {
    if (k.hi == hi && (k.lo == lo || (k.lo == 0 && lo <= 2))) return k.primes;
  }
  return std::nullopt;
}

enum class Algo { kTrial, kMillerRabin, kSieve };

class PrimesWorkload final : public Workload {
 public:
  PrimesWorkload(Algo algo, std::string algo_name, std::uint64_t lo, std::uint64_t hi,
                 std::optional<std::uint64_t> shuffle_seed, Publishing publishing)
      : algo_(algo),
        algo_name_(std::move(algo_name)),
        lo_(lo),
        hi_(hi),
        shuffle_seed_(shuffle_seed),
        publishing_(std::move(publishing)) {
    if (algo_ == Algo::kSieve) sieving_primes_ = kernels::sieving_primes(hi_);
    if (shuffle_seed_) {
      // The book's shuffled sweep: every number once, in a seeded random order.
      order_.resize(hi_ - lo_);
      std::iota(order_.begin(), order_.end(), 0U);
      std::shuffle(order_.begin(), order_.end(), std::mt19937_64(*shuffle_seed_));
    }
  }

  std::string kernel() const override { return "primes"; }
  std::string params() const override {
    std::string p = fmt::format("algo={};range={}:{}", algo_name_, lo_, hi_);
    if (shuffle_seed_) p += fmt::format(";shuffle={}", *shuffle_seed_);
    return p + publishing_.params();
  }
  std::vector<std::string> cli_args() const override {
    std::vector<std::string> args{"--algo", algo_name_, "--range", fmt::format("{}:{}", lo_, hi_)};
    if (shuffle_seed_)
      args.insert(args.end(), {"--shuffle", "--shuffle-seed", std::to_string(*shuffle_seed_)});
    for (auto& arg : publishing_.cli_args()) args.push_back(std::move(arg));
    return args;
  }
  std::uint64_t size() const override { return hi_ - lo_; }
  Mechanism* mechanism() const override { return publishing_.mechanism(); }

  std::uint64_t run_slice(std::uint64_t begin, std::uint64_t end) const override {
    return publishing_.run(begin, end,
                           [this](std::uint64_t b, std::uint64_t e) { return count_primes(b, e); });
  }

  Verdict judge(std::uint64_t result) const override {
    Verdict v{static_cast<double>(result), true, ""};
    if (const auto known = known_count(lo_, hi_); known && *known != result) {
      v.valid = false;
      v.error =
          fmt::format("counted {} primes in [{}, {}), known value {}", result, lo_, hi_, *known);
    }
    return v;  // unknown ranges are checked against the serial count by the runner
  }

 private:
  // The primes among items [begin, end).
  std::uint64_t count_primes(std::uint64_t begin, std::uint64_t end) const {
    if (shuffle_seed_) {
      std::uint64_t count = 0;
      for (std::uint64_t i = begin; i < end; ++i) count += test(lo_ + order_[i]) ? 1 : 0;
      return count;
    }
    switch (algo_) {
      case Algo::kTrial:
        return kernels::count_primes_trial(lo_ + begin, lo_ + end);
      case Algo::kMillerRabin:
        return kernels::count_primes_mr(lo_ + begin, lo_ + end);
      case Algo::kSieve:
        return kernels::count_primes_sieve(lo_ + begin, lo_ + end, sieving_primes_);
    }
    return 0;
  }

  bool test(std::uint64_t n) const {
    return algo_ == Algo::kTrial ? kernels::is_prime_trial(n) : kernels::is_prime_mr(n);
  }

  Algo algo_;
  std::string algo_name_;
  std::uint64_t lo_;
  std::uint64_t hi_;
  std::optional<std::uint64_t> shuffle_seed_;
  Publishing publishing_;
  std::vector<std::uint32_t> sieving_primes_;
  std::vector<std::uint32_t> order_;
};

class PrimesSpec final : public KernelSpec {
 public:
  PrimesSpec(std::vector<std::string> ranges, std::vector<std::string> orders,
             std::shared_ptr<IpcOptions> ipc)
      : ranges_(std::move(ranges)), orders_(std::move(orders)), ipc_(std::move(ipc)) {}

  std::string name() const override { return "primes"; }
  std::string summary() const override {
    return "count the primes of a range: trial division, Miller-Rabin or a segmented sieve";
  }

  void add_options(CLI::App& run) override {
    if (ipc_) ipc_->add_to(run);
    auto* group = run.add_option_group("primes", "Options of the primes kernel");
    group->add_option("--algo", algos_, "Algorithms, a list")
        ->delimiter(',')
        ->transform(CLI::IsMember(algo_names()))
        ->capture_default_str();
    group
        ->add_option("--range", ranges_,
                     "lo:hi (half-open, 1e9 notation allowed) or a book range A-E, a list")
        ->delimiter(',')
        ->capture_default_str();
    group
        ->add_option("--order", orders_,
                     "in (ascending) or shuffled (a seeded random order), a list")
        ->delimiter(',')
        ->transform(CLI::IsMember({"in", "shuffled"}))
        ->capture_default_str();
    group->add_flag("--shuffle", shuffle_, "Short for --order shuffled");
    group->add_option("--shuffle-seed", shuffle_seed_, "Seed of the shuffled order")
        ->transform(any_u64())
        ->capture_default_str();
  }

  std::vector<std::string> ipc_names() const override {
    return ipc_ ? publishing_ipc_names() : std::vector<std::string>{};
  }

  std::vector<std::shared_ptr<const Workload>> workloads() const override {
    std::vector<std::shared_ptr<const Workload>> list;
    const std::uint64_t seed = shuffle_seed_;
    std::vector<bool> shuffled;
    for (const auto& order : shuffle_ ? std::vector<std::string>{"shuffled"} : orders_) {
      shuffled.push_back(order == "shuffled");
    }
    bool skipped_shuffled_sieve = false;
    const auto ways = ipc_ ? publishings(*ipc_) : std::vector<Publishing>{{}};
    for (const auto& range : ranges_) {
      const auto [lo, hi] = parse_range(range);
      for (const auto& algo_name : algos_) {
        const Algo algo = parse_algo(algo_name);
        for (const bool shuffle : shuffled) {
          // A sieve works on whole ranges: in a matrix that pair is skipped, as impossible
          // flag/backend pairs are; it is refused only when it is all that was asked for.
          if (algo == Algo::kSieve && shuffle) {
            skipped_shuffled_sieve = true;
            continue;
          }
          check_memory(algo, lo, hi, shuffle);
          for (const auto& publishing : ways) {
            list.push_back(std::make_shared<PrimesWorkload>(
                algo, algo_name, lo, hi, shuffle ? std::optional(seed) : std::nullopt, publishing));
          }
        }
      }
    }
    if (skipped_shuffled_sieve && list.empty())
      throw UsageError(
          "a sieve works on whole ranges and cannot be shuffled (--algo sieve with "
          "--shuffle or --order shuffled)");
    if (skipped_shuffled_sieve) {
      fmt::print(stderr,
                 "parbench: warning: skipping the sieve with the shuffled order: a sieve works on "
                 "whole ranges\n");
    }
    return list;
  }

 private:
  static std::pair<std::uint64_t, std::uint64_t> parse_range(const std::string& text) {
    for (const auto& named : kNamedRanges) {
      if (text == named.name) return {named.lo, named.hi};
    }
    const auto colon = text.find(':');
    if (colon == std::string::npos) {
      throw UsageError(
          fmt::format("--range must be lo:hi or one of A, B, C, D, E; got '{}'", text));
    }
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t lo =
        parse_integer(std::string_view(text).substr(0, colon), "--range's lower bound", 0, kMax);
    const std::uint64_t hi =
        parse_integer(std::string_view(text).substr(colon + 1), "--range's upper bound", 0, kMax);
    if (lo > hi) throw UsageError(fmt::format("--range {} runs backwards (lo > hi)", text));
    if (lo == hi) throw UsageError(fmt::format("--range {} is empty", text));
    return {lo, hi};
  }

  static const std::map<std::string, Algo>& algos() {
    static const std::map<std::string, Algo> names{
        {"trial", Algo::kTrial}, {"mr", Algo::kMillerRabin}, {"sieve", Algo::kSieve}};
    return names;
  }
  static std::vector<std::string> algo_names() {
    std::vector<std::string> names;
    for (const auto& [name, algo] : algos()) names.push_back(name);
    return names;
  }
  // --algo was checked by CLI11 against algo_names().
  static Algo parse_algo(const std::string& name) { return algos().at(name); }

  static void check_memory(Algo algo, std::uint64_t lo, std::uint64_t hi, bool shuffle) {
    const std::uint64_t budget = memory_budget_bytes();
    if (algo == Algo::kSieve) {
      const std::uint64_t need = kernels::sieve_memory_bytes(hi);
      if (need > budget) {
        throw UsageError(fmt::format(
            "sieving up to {} needs about {} MiB, more than the memory budget of {} MiB (half the "
            "machine, or PARBENCH_MEMORY_BUDGET_MB)",
            hi, need >> 20, budget >> 20));
      }
    }
    if (shuffle &&
        (hi - lo > std::numeric_limits<std::uint32_t>::max() || (hi - lo) * 4 > budget)) {
      throw UsageError(
          fmt::format("--shuffle needs the order of all {} numbers in memory: too many", hi - lo));
    }
  }

  std::vector<std::string> algos_{"trial"};
  std::vector<std::string> ranges_;
  std::vector<std::string> orders_;
  bool shuffle_ = false;
  std::uint64_t shuffle_seed_ = 1;
  std::shared_ptr<IpcOptions> ipc_;  // null in sweep, which has no --ipc
};

}  // namespace

std::unique_ptr<KernelSpec> make_primes_spec(std::vector<std::string> default_ranges,
                                             std::vector<std::string> default_orders,
                                             std::shared_ptr<IpcOptions> ipc) {
  return std::make_unique<PrimesSpec>(std::move(default_ranges), std::move(default_orders),
                                      std::move(ipc));
}

}  // namespace parbench
