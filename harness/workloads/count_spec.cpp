// count: the book's "Synchronizing file and variable access". Every worker adds to one shared
// counter (the --ipc variant under test, a mechanism the runner drives) --increments N times, in
// adds of --batch K, with --think-ns of its own arithmetic before each; `result` is what the
// counter reached, against workers x N. One work item is one add, so the workload is sized for the
// workers that share it (Workload::for_threads) and the CSV's throughput is adds per second.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "harness/backends/parse.hpp"
#include "harness/mechanisms/counter_mechanism.hpp"
#include "harness/records/errors.hpp"
#include "harness/reporters/count_table.hpp"
#include "harness/workloads/ipc_options.hpp"
#include "harness/workloads/kernel_spec.hpp"
#include "ipc/shared_counter.hpp"
#include "kernels/think.hpp"
#if PARBENCH_HAVE_REDIS
#include "ipc/redis_server.hpp"
#endif

namespace parbench {
namespace {

// At most this many per worker, so that the total of the most workers parbench starts (4096) fits
// 64 bits; at a few nanoseconds an add it is already months of work.
constexpr std::uint64_t kMaxIncrements = 1'000'000'000'000'000;
// The book's experiment: 4 workers, 1000 increments each.
constexpr std::uint64_t kBookIncrements = 1000;

// The table's "(no lock)": a counter variant that is not safe, the negative controls.
bool is_control(const std::string& variant) {
  const auto* counter = ipc::find_counter(variant);
  return counter != nullptr && !counter->safe;
}
std::unique_ptr<Reporter> table_after_run(std::ostream& out) {
  return make_count_table(out, is_control);
}
CountCell count_cell_of(const std::vector<RunRecord>& reps, const std::string& host) {
  return count_cell(reps, host, is_control);
}

// Keeps x alive without storing it: the thinking cannot be dropped as unused.
inline void consume(std::uint64_t x) { asm volatile("" : : "r"(x) : "memory"); }

// Think steps per nanosecond on this core, measured once per process.
double think_steps_per_ns() {
  static const double rate = [] {
    using clock = std::chrono::steady_clock;
    constexpr std::uint64_t kSteps = 1 << 22;
    double best_ns = std::numeric_limits<double>::max();
    for (int i = 0; i < 3; ++i) {  // the fastest of three: the chain's own cost, not the noise
      const auto t0 = clock::now();
      consume(kernels::think(i, kSteps));
      best_ns =
          std::min(best_ns, std::chrono::duration<double, std::nano>(clock::now() - t0).count());
    }
    return static_cast<double>(kSteps) / best_ns;
  }();
  return rate;
}

struct CountSettings {
  std::uint64_t increments = kBookIncrements;  // per worker
  std::uint64_t batch = 1;                     // added at a time
  std::uint64_t think_ns = 0;                  // before each add
  bool lock_all = false;                       // --lock-scope all
  std::string redis_url;                       // only for the --redis argument of a relaunch
};

// Where a counter on a server lived (never its password), for the params: a Unix socket and TCP
// cost differently, and rows of the two must not pool into one median. Worked out once per
// workload, not per row.
std::string server_param(const CounterMechanism& counter, const std::string& redis_url) {
  if (counter.need() != ipc::Need::kServer) return "";
  if (redis_url.empty()) return ";server=private-unix-socket";
#if PARBENCH_HAVE_REDIS
  try {
    return ";server=" + ipc::parse_redis_url(redis_url).describe();
  } catch (const std::invalid_argument&) {
  }
#endif
  return ";server=given";
}

class CountWorkload final : public Workload {
 public:
  CountWorkload(CountSettings settings, std::shared_ptr<CounterMechanism> counter, int threads = 1)
      : s_(std::move(settings)),
        counter_(std::move(counter)),
        threads_(threads),
        server_(server_param(*counter_, s_.redis_url)),
        think_steps_(s_.think_ns == 0
                         ? 0
                         : std::max<std::uint64_t>(
                               1, static_cast<std::uint64_t>(static_cast<double>(s_.think_ns) *
                                                             think_steps_per_ns()))) {}

  std::string kernel() const override { return "count"; }
  std::string params() const override {
    return fmt::format("increments={};batch={};think_ns={};lock_scope={}{}", s_.increments,
                       s_.batch, s_.think_ns, s_.lock_all ? "all" : "each", server_);
  }
  std::vector<std::string> cli_args() const override {
    std::vector<std::string> args{"--increments", std::to_string(s_.increments),
                                  "--batch",      std::to_string(s_.batch),
                                  "--think-ns",   std::to_string(s_.think_ns),
                                  "--lock-scope", s_.lock_all ? "all" : "each",
                                  "--ipc",        counter_->name()};
    if (!s_.redis_url.empty()) args.insert(args.end(), {"--redis", s_.redis_url});
    return args;
  }
  // One item per add: N / K of them for each of the threads.
  std::uint64_t size() const override {
    return static_cast<std::uint64_t>(threads_) * (s_.increments / s_.batch);
  }
  // The serial run is one worker's N; judge() weighs what the negative controls lose.
  WorkloadTraits traits() const override {
    return {.must_match_serial = false, .judges_lost_updates = true};
  }
  Mechanism* mechanism() const override { return counter_.get(); }
  std::shared_ptr<const Workload> for_threads(int threads) const override {
    return std::make_shared<CountWorkload>(s_, counter_, threads);
  }

  std::uint64_t run_slice(std::uint64_t begin, std::uint64_t end) const override {
    ipc::SharedCounter& counter = counter_->counter();
    std::uint64_t x = begin;  // the thinking's chain, a different one in every slice
    const auto think = [&] { x = kernels::think(x, think_steps_); };
    if (s_.lock_all) {
      counter.add_many(end - begin, s_.batch, think_steps_ != 0 ? ipc::Think(think) : nullptr);
    } else {
      for (std::uint64_t i = begin; i < end; ++i) {
        if (think_steps_ != 0) think();
        counter.add(s_.batch);
      }
    }
    consume(x);
    return (end - begin) * s_.batch;  // what was added; the counter says what arrived
  }

  Verdict judge(std::uint64_t reached) const override {
    const std::uint64_t expected = static_cast<std::uint64_t>(threads_) * s_.increments;
    Verdict v;
    v.value = static_cast<double>(reached) / static_cast<double>(expected);
    if (reached > expected) {
      v.error = fmt::format(
          "counted {}, more than the {} added: a bug in the harness or the {} "
          "counter",
          reached, expected, counter_->name());
      return v;
    }
    // A negative control is valid when it does not overcount: its lost updates are the finding.
    v.valid = !counter_->safe() || reached == expected;
    if (!v.valid) {
      v.error = fmt::format("counted {} of {}: {} updates lost under {}", reached, expected,
                            expected - reached, counter_->name());
    }
    return v;
  }

 private:
  CountSettings s_;
  std::shared_ptr<CounterMechanism> counter_;
  int threads_;
  std::string server_;  // ";server=..." for a counter on a server, else empty
  std::uint64_t think_steps_;
};

class CountSpec final : public KernelSpec {
 public:
  explicit CountSpec(std::shared_ptr<IpcOptions> ipc) : ipc_(std::move(ipc)) {}

  std::string name() const override { return "count"; }
  std::string summary() const override {
    return "every worker increments one shared counter N times: the book's locking experiment";
  }

  void add_options(CLI::App& run) override {
    ipc_->add_to(run);
    auto* group = run.add_option_group("count", "Options of the count kernel");
    group
        ->add_option("--increments", increments_,
                     "Increments per worker, a list; book: the book's 1000, at its 4 workers "
                     "unless --workers says otherwise")
        ->delimiter(',')
        ->capture_default_str();
    group->add_option("--batch", batches_, "Added at a time, a list; must divide --increments")
        ->delimiter(',')
        ->capture_default_str();
    group
        ->add_option("--think-ns", think_ns_,
                     "Nanoseconds of arithmetic before each add, a list: 0 hammers the counter")
        ->delimiter(',')
        ->capture_default_str();
    group
        ->add_option("--lock-scope", scopes_,
                     "each: a lock per add; all: one lock around a worker's whole loop (the "
                     "book's decorator, which serialises the workers); a list")
        ->delimiter(',')
        ->check(CLI::IsMember({"each", "all"}))
        ->capture_default_str();
  }

  std::optional<KernelTable> table() const override {
    return KernelTable{
        "The book's count table: counter variants x workers, count reached / expected, median "
        "seconds, ns per increment",
        table_after_run, table_from_rows<cell_of_reps<count_cell_of>, print_count_table>};
  }
  std::vector<std::string> ipc_names() const override {
    return ipc_names_of(ipc::registered<ipc::CounterVariant>(), false);
  }
  // --increments book alone is the book's whole experiment: 4 workers x 1000.
  std::vector<std::string> default_workers() const override {
    return increments_ == std::vector<std::string>{"book"} ? std::vector<std::string>{"4"}
                                                           : std::vector<std::string>{};
  }

  std::vector<std::shared_ptr<const Workload>> workloads() const override {
    const ipc::MechanismSettings settings = ipc_->settings();
    const auto chosen = choose(ipc_->mine(ipc_names(), {"all"}),
                               ipc::registered<ipc::CounterVariant>(), false, settings, "counter");
    std::vector<std::shared_ptr<const Workload>> list;
    for (const auto& text : increments_) {
      const std::uint64_t n =
          text == "book" ? kBookIncrements : parse_integer(text, "--increments", 1, kMaxIncrements);
      for (const auto& batch_text : batches_) {
        const std::uint64_t batch = parse_count(batch_text, "--batch");
        if (n % batch != 0)
          throw UsageError(fmt::format("--batch {} does not divide --increments {}", batch, n));
        for (const auto& think_text : think_ns_) {
          const std::uint64_t think = parse_integer(think_text, "--think-ns", 0, 1000000000);
          for (const auto& scope : scopes_) {
            for (const auto& v : chosen) {
              auto counter = std::make_shared<CounterMechanism>(*v.variant, settings, v.from_all);
              list.push_back(std::make_shared<CountWorkload>(
                  CountSettings{n, batch, think, scope == "all", ipc_->redis_url},
                  std::move(counter)));
            }
          }
        }
      }
    }
    return list;
  }

 private:
  std::shared_ptr<IpcOptions> ipc_;
  std::vector<std::string> increments_{"book"};
  std::vector<std::string> batches_{"1"};
  std::vector<std::string> think_ns_{"0"};
  std::vector<std::string> scopes_{"each"};
};

}  // namespace

std::unique_ptr<KernelSpec> make_count_spec(std::shared_ptr<IpcOptions> ipc) {
  return std::make_unique<CountSpec>(std::move(ipc));
}

}  // namespace parbench
