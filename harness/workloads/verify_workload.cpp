#include "harness/workloads/verify_workload.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "kernels/primes.hpp"

namespace parbench {
namespace {

// --check-every auto: looks may cost at most this share of the work. Half of the 1% the issue
// allows: the cost measured at start-up is one look on an idle machine, and a look that wakes a
// server (broker, Redis) also takes the server's time from a worker once every core computes.
// Measured at 1%, broker and Redis cost 1-4% on two busy cores.
constexpr double kCheckBudget = 0.005;

constexpr std::uint64_t kNoLooks = std::numeric_limits<std::uint64_t>::max();

const char* style_name(kernels::CheckStyle style) {
  return style == kernels::CheckStyle::kBlock ? "block" : "counter";
}

}  // namespace

double candidate_ns(kernels::CheckStyle style) {
  // Once per process and style: every flag made for a configuration asks again.
  if (style == kernels::CheckStyle::kBlock) {
    static const double block = measure_candidate_ns(style);
    return block;
  }
  static const double counter = measure_candidate_ns(style);
  return counter;
}

double measure_candidate_ns(kernels::CheckStyle style) {
  using clock = std::chrono::steady_clock;
  const std::uint64_t trials = 1'000'000;
  const auto t0 = clock::now();
  const auto probe = kernels::smallest_factor_in(kBookNumbers[3], 3, 3 + 2 * trials, trials, style,
                                                 [](std::uint64_t) { return false; });
  const double ns = std::chrono::duration<double, std::nano>(clock::now() - t0).count() /
                    static_cast<double>(std::max<std::uint64_t>(probe.tested, 1));
  volatile std::uint64_t keep = probe.factor;  // the probe must not be optimised away
  (void)keep;
  return ns;
}

VerifyWorkload::VerifyWorkload(VerifySettings settings, std::shared_ptr<StopFlagMechanism> flag)
    : s_(std::move(settings)), root_(kernels::isqrt(s_.n)), flag_(std::move(flag)) {
  // Divisors below the cutoff: 2 (item 0), then the odd ones from 3 (items 1, 2, ...).
  const std::uint64_t c = s_.serial_cutoff;
  first_item_ = std::min(size(), (c > 2 ? 1 : 0) + (c > 3 ? (c - 2) / 2 : 0));
}

std::uint64_t VerifyWorkload::size() const {
  return root_ < 2 ? 0 : 1 + (root_ >= 3 ? (root_ - 1) / 2 : 0);
}

std::uint64_t VerifyWorkload::check_every() const {
  if (!flag_) return kNoLooks;
  if (s_.check_every != 0) return s_.check_every;
  return std::max<std::uint64_t>(
      1,
      static_cast<std::uint64_t>(std::ceil(flag_->check_ns() / (kCheckBudget * flag_->item_ns()))));
}

std::string VerifyWorkload::params() const {
  // Without a flag nothing is looked at: the interval is "none", whatever was given.
  std::string chosen = "none";
  if (flag_ && s_.check_every != 0) {
    chosen = std::to_string(s_.check_every);
  } else if (flag_ && !flag_->made()) {
    chosen = "auto";
  } else if (flag_) {
    chosen =
        fmt::format("auto({});check_ns={:.1f};candidate_ns={:.2f};stop_latency_bound_us={:.2f}",
                    check_every(), flag_->check_ns(), flag_->item_ns(),
                    static_cast<double>(check_every()) * flag_->item_ns() / 1000);
  }
  return fmt::format("n={};check_every={};check_style={};serial_cutoff={}{}", s_.n, chosen,
                     style_name(s_.style), s_.serial_cutoff,
                     s_.exact_smallest ? ";exact_smallest" : "");
}

std::vector<std::string> VerifyWorkload::cli_args() const {
  std::vector<std::string> args{
      "--n", std::to_string(s_.n), "--ipc", flag_ ? flag_->name() : "none",
      // auto stays auto: MPI ranks measure their own costs (and agree on one interval).
      "--check-every", s_.check_every == 0 ? "auto" : std::to_string(s_.check_every),
      "--check-style", style_name(s_.style), "--serial-cutoff", std::to_string(s_.serial_cutoff)};
  if (s_.exact_smallest) args.emplace_back("--exact-smallest");
  if (!s_.redis_url.empty()) args.insert(args.end(), {"--redis", s_.redis_url});
  return args;
}

std::uint64_t VerifyWorkload::last_prechecked() const {
  return s_.serial_cutoff > 2 ? std::min(root_, s_.serial_cutoff - 1) : 0;
}

std::optional<std::uint64_t> VerifyWorkload::settle_before_split() const {
  const std::uint64_t last = last_prechecked();
  if (last < 2) return std::nullopt;
  const auto never = [](std::uint64_t) { return false; };
  auto found = kernels::smallest_factor_in(s_.n, 2, 2, kNoLooks, s_.style, never);
  if (found.factor == 0 && last >= 3)
    found = kernels::smallest_factor_in(s_.n, 3, last % 2 == 1 ? last : last - 1, kNoLooks,
                                        s_.style, never);
  if (found.factor != 0) return found.factor;
  if (last >= root_) return 0;  // every divisor up to the root tried: n is prime
  return std::nullopt;
}

std::uint64_t VerifyWorkload::run_slice(std::uint64_t begin, std::uint64_t end) const {
  std::uint64_t done = 0;
  return run_slice_counted(begin, end, done);
}

std::uint64_t VerifyWorkload::run_slice_counted(std::uint64_t begin, std::uint64_t end,
                                                std::uint64_t& done) const {
  done = 0;
  begin = std::max(begin, first_item_);  // the pre-check in the owner tried these
  if (begin >= end) return 0;
  const std::uint64_t first = begin == 0 ? 2 : 2 * begin + 1;
  const std::uint64_t last = 2 * (end - 1) + 1;
  const std::uint64_t interval = check_every();
  ipc::StopFlag* const flag = flag_ ? flag_->flag() : nullptr;
  auto should_stop = [&](std::uint64_t next) {
    const std::uint64_t raised = flag->value();
    // --exact-smallest: stop only once a factor below everything this worker has left is known.
    return raised != 0 && (!s_.exact_smallest || raised < next);
  };
  // One call of the search that looks at the flag, whatever the slice: with two inlined copies (one
  // after the divisor 2, one for the other slices), the finder of 100109100129100369 on 2 threads
  // ran 1.6x slower in 17 of 64 repetitions when the pre-check put both workers in the same copy,
  // and never with one copy (measured on this VM, Release).
  kernels::FactorSearch found;
  std::uint64_t from = first;
  if (first == 2) {  // the one even candidate, then the odd ones
    found = kernels::smallest_factor_in(s_.n, 2, 2, interval, s_.style,
                                        [](std::uint64_t) { return false; });
    done = found.tested;
    from = 3;
  }
  if (found.factor == 0 && from <= last) {
    found = flag != nullptr
                ? kernels::smallest_factor_in(s_.n, from, last, interval, s_.style, should_stop)
                : kernels::smallest_factor_in(s_.n, from, last, kNoLooks, s_.style,
                                              [](std::uint64_t) { return false; });
    done += found.tested;
  }
  if (flag_) {
    flag_->count_checks(found.checks);
    if (found.factor != 0) {
      flag_->note_raised();
      flag->raise(found.factor);
    }
    if (found.stopped) flag_->note_stopped_early();
  }
  return found.factor;
}

Verdict VerifyWorkload::judge(std::uint64_t factor) const {
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

}  // namespace parbench
