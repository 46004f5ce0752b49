// verify: is one large n prime? The candidate divisors 2, 3, 5, ..., isqrt(n) are the work items;
// workers that find a factor raise a stop flag (the --ipc variant under test) and the others notice
// it at their next check. `result` is the smallest factor found, 0 for a prime.
#include <fmt/format.h>

#include <sys/mman.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <system_error>

#include "harness/clock.hpp"
#include "harness/errors.hpp"
#include "harness/kernels/kernel_spec.hpp"
#include "harness/parse.hpp"
#include "harness/record.hpp"
#include "ipc/stop_flag.hpp"
#if PARBENCH_HAVE_REDIS
#include "ipc/redis_server.hpp"
#endif
#include "kernels/primes.hpp"
#include "kernels/verify.hpp"

namespace parbench {
namespace {

// The book's numbers: a cheap composite, two expensive composites, two primes.
constexpr std::uint64_t kBookNumbers[] = {112272535095295ULL, 100109100129100369ULL,
                                          100109100129101027ULL, 100109100129100151ULL,
                                          100109100129162907ULL};

// What the workers measure during a repetition, in a page shared with forked workers (MAP_SHARED,
// created before they are): flag looks, when the first factor was raised, when the last worker that
// stopped early stopped.
struct SharedMetrics {
  std::atomic<std::uint64_t> checks{0};
  std::atomic<std::uint64_t> raised_ns{0};     // 0: nobody raised
  std::atomic<std::uint64_t> last_stop_ns{0};  // 0: nobody stopped early
};

class MetricsPage {
 public:
  MetricsPage() {
    void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap");
    metrics_ = new (page) SharedMetrics;
  }
  ~MetricsPage() { munmap(metrics_, 4096); }
  MetricsPage(const MetricsPage&) = delete;
  MetricsPage& operator=(const MetricsPage&) = delete;
  SharedMetrics& operator*() const { return *metrics_; }
  SharedMetrics* operator->() const { return metrics_; }

 private:
  SharedMetrics* metrics_;
};

std::uint64_t now_ns() { return static_cast<std::uint64_t>(monotonic_s() * 1e9); }

// --check-every auto: checks may cost at most this share of the work.
// Half of the 1% the issue allows: the cost measured at start-up is one look on an idle machine,
// and a look that wakes a server (broker, Redis) also takes the server's time from a worker once
// every core computes. Measured at 1%, broker and Redis cost 1-4% on two busy cores.
constexpr double kCheckBudget = 0.005;

// One stop flag per variant for the whole run, shared by every workload that uses it: they run one
// after another and each lowers it before its repetitions. It is made, and a look at it and one
// candidate division are timed, once: up front, or for a collective flag (MPI) at the first
// repetition, in every rank at once.
class SharedFlag {
 public:
  SharedFlag(const ipc::StopFlagVariant& variant, ipc::StopFlagSettings settings,
             kernels::CheckStyle style)
      : variant_(variant), settings_(std::move(settings)), style_(style) {}

  const ipc::StopFlagVariant& variant() const { return variant_; }
  // Null until make().
  ipc::StopFlag* get() const { return flag_.get(); }
  double check_ns() const { return check_ns_; }
  double candidate_ns() const { return candidate_ns_; }

  void make() {
    if (flag_) return;
    flag_ = variant_.create(settings_);
    measure_costs();
  }

 private:
  void measure_costs() {
    using clock = std::chrono::steady_clock;
    std::uint64_t looks = 0;
    std::uint64_t sink = 0;
    const auto t0 = clock::now();
    while (clock::now() - t0 < std::chrono::milliseconds(20)) {
      for (int i = 0; i < 64; ++i) sink += flag_->value();
      looks += 64;
    }
    check_ns_ = std::chrono::duration<double, std::nano>(clock::now() - t0).count() /
                static_cast<double>(looks);
    // A prime of the book's size, so that the probe never stops at a small factor: a 64-bit
    // division costs the same whatever the dividend.
    const std::uint64_t trials = 1'000'000;
    const auto t1 = clock::now();
    const auto probe = kernels::smallest_factor_in(kBookNumbers[3], 3, 3 + 2 * trials, trials,
                                                   style_, [](std::uint64_t) { return false; });
    candidate_ns_ = std::chrono::duration<double, std::nano>(clock::now() - t1).count() /
                    static_cast<double>(std::max<std::uint64_t>(probe.tested, 1));
    sink += probe.factor;
    // MPI ranks measure their own costs; all take the slowest check and the fastest division, so
    // that they choose one interval (and the one that keeps every rank within budget).
    using Across = ipc::StopFlag::Across;
    const auto picoseconds = [](double ns) { return static_cast<std::uint64_t>(ns * 1000.0); };
    check_ns_ =
        static_cast<double>(flag_->across_owners(picoseconds(check_ns_), Across::kMax)) / 1000.0;
    candidate_ns_ =
        static_cast<double>(flag_->across_owners(picoseconds(candidate_ns_), Across::kMin)) /
        1000.0;
    volatile std::uint64_t keep = sink;  // the measurements must not be optimised away
    (void)keep;
  }

  const ipc::StopFlagVariant& variant_;
  ipc::StopFlagSettings settings_;
  kernels::CheckStyle style_;
  std::unique_ptr<ipc::StopFlag> flag_;
  double check_ns_ = 0.0;
  double candidate_ns_ = 0.0;
};

struct VerifySettings {
  std::uint64_t n;
  std::string ipc;
  std::uint64_t check_every;  // 0: auto, chosen when the flag exists
  kernels::CheckStyle style;
  bool exact_smallest;
  std::uint64_t serial_cutoff;  // for serial-first: divisors below it are tried before the split
  ipc::StopFlagSettings flag_settings;  // only for the --redis argument of a relaunch
  bool from_all = false;                // chosen by --ipc all
  std::shared_ptr<SharedFlag> flag;     // null for none and serial-first
};

class VerifyWorkload final : public Workload {
 public:
  explicit VerifyWorkload(VerifySettings s) : s_(std::move(s)), root_(kernels::isqrt(s_.n)) {
    if (!s_.flag) {
      check_every_ = s_.check_every == 0 ? 1000 : s_.check_every;  // nothing to check
    } else if (!s_.flag->variant().collective) {
      settle_flag();  // before any worker is forked, so that forked workers inherit it
    }
  }

  std::string kernel() const override { return "verify"; }
  std::string ipc() const override { return s_.ipc; }
  bool chosen_as_group() const override { return s_.from_all; }
  bool runs_on(const std::string& backend) const override {
    if (!s_.flag) return true;
    const auto& reach = s_.flag->variant().backends;
    return std::find(reach.begin(), reach.end(), backend) != reach.end();
  }
  std::string params() const override {
    // none and serial-first never look at a flag: their interval is "none", whatever was given.
    const std::string chosen =
        !s_.flag ? std::string("none")
        : auto_  ? fmt::format(
                       "auto({});check_ns={:.1f};candidate_ns={:.2f};stop_latency_bound_us={:.2f}",
                       check_every_, s_.flag->check_ns(), s_.flag->candidate_ns(),
                       static_cast<double>(check_every_) * s_.flag->candidate_ns() / 1000)
        : check_every_ == 0 ? std::string("auto")  // a collective flag not made here yet
                            : std::to_string(check_every_);
    return fmt::format("n={};check_every={};check_style={}{}", s_.n, chosen,
                       s_.style == kernels::CheckStyle::kBlock ? "block" : "counter",
                       s_.exact_smallest ? ";exact_smallest" : "");
  }
  std::vector<std::string> cli_args() const override {
    std::vector<std::string> args{
        "--n", std::to_string(s_.n), "--ipc", s_.ipc,
        // auto stays auto: MPI ranks measure their own costs (and agree on one interval).
        "--check-every", s_.check_every == 0 ? "auto" : std::to_string(s_.check_every),
        "--check-style", s_.style == kernels::CheckStyle::kBlock ? "block" : "counter"};
    if (s_.exact_smallest) args.emplace_back("--exact-smallest");
    args.insert(args.end(), {"--serial-cutoff", std::to_string(s_.serial_cutoff)});
    if (!s_.flag_settings.redis_url.empty())
      args.insert(args.end(), {"--redis", s_.flag_settings.redis_url});
    return args;
  }
  // Item 0 is the divisor 2, item i > 0 the odd divisor 2i + 1, up to isqrt(n).
  std::uint64_t size() const override {
    return root_ < 2 ? 0 : 1 + (root_ >= 3 ? (root_ - 1) / 2 : 0);
  }
  Reduction reduction() const override { return Reduction::kMinNonzero; }
  bool must_match_serial() const override { return !s_.flag || s_.exact_smallest; }
  void prepare_run() const override {
    if (s_.flag && flag_ == nullptr) settle_flag();  // a collective flag, in every MPI rank at once
    if (flag_) flag_->reset();
    metrics_->checks = 0;
    metrics_->raised_ns = 0;
    metrics_->last_stop_ns = 0;
  }
  void describe_run(RunRecord& row) const override {
    row.params = params();  // a collective flag chose its check interval only at the first rep
    using Across = ipc::StopFlag::Across;
    // MPI ranks each have their own metrics page: combine them (every rank calls this after every
    // repetition). Stop latency across nodes compares their clocks, as synchronised as they are.
    const auto across = [this](std::uint64_t mine, Across how) {
      return flag_ ? flag_->across_owners(mine, how) : mine;
    };
    constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();
    row.checks = across(metrics_->checks.load(), Across::kSum);
    row.check_ns = s_.flag ? s_.flag->check_ns() : 0.0;
    std::uint64_t raised =
        across(metrics_->raised_ns.load() == 0 ? kNever : metrics_->raised_ns.load(), Across::kMin);
    if (raised == kNever) raised = 0;
    const std::uint64_t stopped = across(metrics_->last_stop_ns.load(), Across::kMax);
    row.stop_latency_s =
        raised != 0 && stopped != 0
            ? (stopped > raised ? static_cast<double>(stopped - raised) * 1e-9 : 0.0)
            : -1.0;
  }
  std::uint64_t complete(std::uint64_t result) const override {
    return flag_ ? fold(Reduction::kMinNonzero, result, flag_->value()) : result;
  }

  std::uint64_t run_slice(std::uint64_t begin, std::uint64_t end) const override {
    std::uint64_t done = 0;
    return run_slice_counted(begin, end, done);
  }

  std::uint64_t run_slice_counted(std::uint64_t begin, std::uint64_t end,
                                  std::uint64_t& done) const override {
    done = 0;
    if (begin >= end) return 0;
    if (s_.ipc == "serial-first") {
      // The book's "less naive" pool: the cheap divisors below the cutoff first (every worker
      // repeats these few divisions, which costs what the parent doing them would), the split only
      // when none divides.
      auto never = [](std::uint64_t) { return false; };
      const std::uint64_t cutoff = std::max<std::uint64_t>(s_.serial_cutoff, 3);
      const std::uint64_t last_small = std::min(root_, cutoff % 2 == 1 ? cutoff - 2 : cutoff - 1);
      auto small = kernels::smallest_factor_in(s_.n, 2, 2, check_every_, s_.style, never);
      done = small.tested;
      if (small.factor == 0 && last_small >= 3) {
        small = kernels::smallest_factor_in(s_.n, 3, last_small, check_every_, s_.style, never);
        done += small.tested;
      }
      if (small.factor != 0) return begin == 0 ? small.factor : 0;
      begin =
          std::max(begin, (last_small + 1) / 2);  // the next item is the odd divisor last_small + 2
      if (begin >= end) return 0;
    }
    const std::uint64_t first = begin == 0 ? 2 : 2 * begin + 1;
    const std::uint64_t last = 2 * (end - 1) + 1;
    auto should_stop = [this](std::uint64_t next) {
      const std::uint64_t raised = flag_->value();
      // --exact-smallest: stop only once a factor below everything this worker has left is known.
      return raised != 0 && (!s_.exact_smallest || raised < next);
    };
    auto never = [](std::uint64_t) { return false; };
    kernels::FactorSearch found;
    if (first == 2) {
      found = kernels::smallest_factor_in(s_.n, 2, 2, check_every_, s_.style, never);
      done = found.tested;
      if (found.factor == 0 && last >= 3) {
        found = search(3, last, should_stop, never);
        done += found.tested;
      }
    } else {
      found = search(first, last, should_stop, never);
      done = found.tested;
    }
    if (found.checks != 0) metrics_->checks.fetch_add(found.checks, std::memory_order_relaxed);
    if (found.factor != 0 && flag_) {
      const std::uint64_t t = now_ns();
      std::uint64_t seen = 0;  // keep the first raise
      metrics_->raised_ns.compare_exchange_strong(seen, t);
      flag_->raise(found.factor);
    }
    if (found.stopped) {
      const std::uint64_t t = now_ns();
      std::uint64_t seen = metrics_->last_stop_ns.load();
      while (seen < t && !metrics_->last_stop_ns.compare_exchange_weak(seen, t)) {
      }
    }
    return found.factor;
  }

  Verdict judge(std::uint64_t factor) const override {
    Verdict v{static_cast<double>(factor), true, ""};
    const bool prime = kernels::is_prime_mr(s_.n);
    if (factor == 0 && !prime) {
      v.valid = false;
      v.error = fmt::format("found no factor, but Miller-Rabin says {} is composite", s_.n);
    } else if (factor != 0 && (factor < 2 || factor >= s_.n || s_.n % factor != 0)) {
      v.valid = false;
      v.error = fmt::format("{} is not a factor of {}", factor, s_.n);
    }
    return v;
  }

 private:
  // Makes the flag (if no workload has) and settles the check interval: with --check-every auto,
  // the smallest K that keeps checking under kCheckBudget of the work.
  void settle_flag() const {
    s_.flag->make();
    flag_ = s_.flag->get();
    auto_ = s_.check_every == 0;
    check_every_ =
        auto_ ? std::max<std::uint64_t>(
                    1, static_cast<std::uint64_t>(std::ceil(
                           s_.flag->check_ns() / (kCheckBudget * s_.flag->candidate_ns()))))
              : s_.check_every;
  }

  template <typename Stop, typename Never>
  kernels::FactorSearch search(std::uint64_t first, std::uint64_t last, Stop& stop,
                               Never& never) const {
    if (flag_) return kernels::smallest_factor_in(s_.n, first, last, check_every_, s_.style, stop);
    // No flag, no looks at it: one block for the whole range.
    return kernels::smallest_factor_in(s_.n, first, last, std::numeric_limits<std::uint64_t>::max(),
                                       s_.style, never);
  }

  VerifySettings s_;
  std::uint64_t root_;
  MetricsPage metrics_;
  // Settled with the flag, up front or, for a collective one, at the first repetition (hence
  // mutable).
  mutable ipc::StopFlag* flag_ = nullptr;  // s_.flag's; lowered before each repetition
  mutable std::uint64_t check_every_ = 0;  // candidates between two checks
  mutable bool auto_ = false;
};

class VerifySpec final : public KernelSpec {
 public:
  std::string name() const override { return "verify"; }
  std::string summary() const override {
    return "is n prime? trial division by cooperating workers that stop early through a flag";
  }

  void add_options(CLI::App& run) override {
    auto* group = run.add_option_group("verify", "Options of the verify kernel");
    group->add_option("--n", numbers_, "Numbers to verify, a list; 'book' is the book's five")
        ->delimiter(',')
        ->capture_default_str();
    group
        ->add_option("--ipc", variants_,
                     "Stop-flag mechanisms, a list (see `parbench list`); all: every one that can "
                     "run here")
        ->delimiter(',')
        ->capture_default_str();
    group->add_option("--redis", redis_url_,
                      "The redis variant's server, redis://host[:port] or unix:///path; default: a "
                      "private redis-server");
    group
        ->add_option(
            "--check-every", check_every_,
            "Candidates between two looks at the flag, a list; auto keeps checks under 0.5% "
            "of the work")
        ->delimiter(',')
        ->capture_default_str();
    group
        ->add_option("--check-style", style_,
                     "counter (a countdown in the loop) or block (the book's mmap redux)")
        ->capture_default_str();
    group->add_flag("--exact-smallest", exact_smallest_,
                    "Stop only when no smaller factor can be missed");
    group
        ->add_option("--serial-cutoff", serial_cutoff_,
                     "serial-first: divisors below this are tried first")
        ->capture_default_str();
  }

  std::vector<std::shared_ptr<const Workload>> workloads() const override {
    if (style_ != "counter" && style_ != "block") {
      throw UsageError(fmt::format("--check-style must be counter or block; got '{}'", style_));
    }
    const auto style =
        style_ == "block" ? kernels::CheckStyle::kBlock : kernels::CheckStyle::kCounter;
    std::vector<std::uint64_t> numbers;
    for (const auto& text : numbers_) {
      if (text == "book") {
        numbers.insert(numbers.end(), std::begin(kBookNumbers), std::end(kBookNumbers));
      } else {
        numbers.push_back(parse_integer(text, "--n", 2, std::numeric_limits<std::uint64_t>::max()));
      }
    }
    ipc::StopFlagSettings flag_settings{redis_url_};
#if PARBENCH_HAVE_REDIS
    if (!redis_url_.empty()) {
      try {
        ipc::parse_redis_url(redis_url_);
      } catch (const std::invalid_argument& e) {
        throw UsageError(fmt::format("--redis: {}", e.what()));
      }
    }
#endif
    std::vector<std::shared_ptr<const Workload>> list;
    const std::vector<ChosenVariant> variants = chosen_variants(flag_settings);
    std::map<std::string, std::shared_ptr<SharedFlag>> flags;  // one per variant for the run
    for (const auto& v : variants) {
      if (const auto* variant = ipc::find_stop_flag(v.name))
        flags[v.name] = std::make_shared<SharedFlag>(*variant, flag_settings, style);
    }
    for (const std::uint64_t n : numbers) {
      for (const auto& v : variants) {
        for (const auto& k : check_every_) {
          // Without a flag the interval changes nothing: one configuration, not one per K.
          if (!flags.contains(v.name) && &k != &check_every_.front()) continue;
          list.push_back(make_workload(VerifySettings{
              n, v.name, k == "auto" ? 0 : parse_count(k, "--check-every"), style, exact_smallest_,
              parse_count(serial_cutoff_, "--serial-cutoff"), flag_settings, v.from_all,
              flags.contains(v.name) ? flags[v.name] : nullptr}));
        }
      }
    }
    return list;
  }

 private:
  std::vector<std::string> numbers_{"book"};
  std::vector<std::string> variants_{"none"};
  std::vector<std::string> check_every_{"1000"};
  std::string style_ = "counter";
  bool exact_smallest_ = false;
  std::string serial_cutoff_ = "21";
  std::string redis_url_;

  struct ChosenVariant {
    std::string name;
    bool from_all;
  };

  // --ipc as given, or for "all" every variant this build has that can run here (the others are
  // skipped with a warning). A variant named outright that cannot run here is refused.
  std::vector<ChosenVariant> chosen_variants(const ipc::StopFlagSettings& settings) const {
    const auto named = [this](const std::string& v) {
      return std::find(variants_.begin(), variants_.end(), v) != variants_.end();
    };
    std::vector<std::string> names;  // in the order given, "all" expanded where it stands
    for (const auto& v : variants_) {
      if (v != "all") {
        names.push_back(v);
        continue;
      }
      names.insert(names.end(), {"none", "serial-first"});
      for (const auto& variant : ipc::stop_flag_variants()) names.push_back(variant.name);
    }
    std::vector<ChosenVariant> chosen;
    for (const auto& v : names) {
      if (std::any_of(chosen.begin(), chosen.end(), [&](const auto& c) { return c.name == v; }))
        continue;
      const auto* variant = ipc::find_stop_flag(v);
      if (variant == nullptr && v != "none" && v != "serial-first")
        throw UsageError(fmt::format("unknown ipc variant '{}' (see `parbench list`)", v));
      const auto a = variant ? variant->availability(settings) : ipc::FlagAvailability{};
      if (!a.runnable && named(v))
        throw UsageError(fmt::format("ipc {} cannot run here: {}", v, a.detail));
      if (!a.runnable) {
        fmt::print(stderr, "parbench: warning: skipping ipc {}: {}\n", v, a.detail);
        continue;
      }
      chosen.push_back({v, !named(v)});
    }
    return chosen;
  }

  // A flag that cannot be made (no server answers, say) is refused before anything runs.
  static std::shared_ptr<const Workload> make_workload(VerifySettings settings) {
    const std::string variant = settings.ipc;
    try {
      return std::make_shared<VerifyWorkload>(std::move(settings));
    } catch (const std::runtime_error& e) {
      throw UsageError(fmt::format("ipc {}: {}", variant, e.what()));
    }
  }
};

}  // namespace

std::unique_ptr<KernelSpec> make_verify_spec() { return std::make_unique<VerifySpec>(); }

}  // namespace parbench
