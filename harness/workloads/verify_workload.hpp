// verify: is one large n prime? The candidate divisors 2, 3, 5, ..., isqrt(n) are the work items;
// workers that find a factor raise a stop flag (the --ipc variant under test, a mechanism the
// runner drives) and the others notice it at their next look. `result` is the smallest factor
// found, 0 for a prime. The book's serial pre-check (divisors below --serial-cutoff, tried in the
// owner before any worker is woken) combines with every flag.
#pragma once

#include <cstdint>
#include <memory>

#include "harness/backends/workload.hpp"
#include "harness/mechanisms/stop_flag_mechanism.hpp"
#include "kernels/verify.hpp"

namespace parbench {

// The book's numbers: a cheap composite, two expensive composites, two primes.
inline constexpr std::uint64_t kBookNumbers[] = {112272535095295ULL, 100109100129100369ULL,
                                                 100109100129101027ULL, 100109100129100151ULL,
                                                 100109100129162907ULL};

struct VerifySettings {
  std::uint64_t n = 0;
  std::uint64_t check_every = 1000;  // 0: auto, chosen once the flag is made
  kernels::CheckStyle style = kernels::CheckStyle::kCounter;
  bool exact_smallest = false;
  std::uint64_t serial_cutoff = 21;  // divisors below it are tried in the owner first; 0: none
  std::string redis_url;             // only for the --redis argument of a relaunch
};

// What one candidate division costs, measured on a prime of the book's size (a 64-bit division
// costs the same whatever the dividend).
double measure_candidate_ns(kernels::CheckStyle style);
// The same, measured once per process and style.
double candidate_ns(kernels::CheckStyle style);

class VerifyWorkload final : public Workload {
 public:
  // `flag` is null for --ipc none: every range runs to its end.
  VerifyWorkload(VerifySettings settings, std::shared_ptr<StopFlagMechanism> flag);

  std::string kernel() const override { return "verify"; }
  std::string params() const override;
  std::vector<std::string> cli_args() const override;
  // Item 0 is the divisor 2, item i > 0 the odd divisor 2i + 1, up to isqrt(n).
  std::uint64_t size() const override;
  Reduction reduction() const override { return Reduction::kMinNonzero; }
  WorkloadTraits traits() const override {
    return {.must_match_serial = !flag_ || s_.exact_smallest};
  }
  Mechanism* mechanism() const override { return flag_.get(); }
  std::optional<std::uint64_t> settle_before_split() const override;
  std::uint64_t run_slice(std::uint64_t begin, std::uint64_t end) const override;
  std::uint64_t run_slice_counted(std::uint64_t begin, std::uint64_t end,
                                  std::uint64_t& done) const override;
  Verdict judge(std::uint64_t factor) const override;

 private:
  // Candidates between two looks: as given, or with auto the smallest that keeps looking under
  // the budget once the flag has measured its cost.
  std::uint64_t check_every() const;
  // The last divisor the pre-check tries, 0 when it is off.
  std::uint64_t last_prechecked() const;

  VerifySettings s_;
  std::uint64_t root_;
  std::uint64_t first_item_;  // the first item the workers search: the pre-check did the others
  std::shared_ptr<StopFlagMechanism> flag_;
};

}  // namespace parbench
