#include "harness/mechanisms/stop_flag_mechanism.hpp"

#include <boost/interprocess/anonymous_shared_memory.hpp>

#include <chrono>
#include <limits>

#include "harness/backends/workload.hpp"
#include "harness/records/clock.hpp"

namespace parbench {
namespace {

std::uint64_t now_ns() { return static_cast<std::uint64_t>(monotonic_s() * 1e9); }

}  // namespace

StopFlagMechanism::StopFlagMechanism(const ipc::StopFlagVariant& variant,
                                     ipc::MechanismSettings settings, bool chosen_as_group,
                                     std::function<double()> item_ns)
    : VariantMechanism(variant, std::move(settings), chosen_as_group),
      measure_item_ns_(std::move(item_ns)),
      page_(boost::interprocess::anonymous_shared_memory(sizeof(Events))),
      events_(new (page_.get_address()) Events) {}

void StopFlagMechanism::make() {
  flag_ = create();
  using clock = std::chrono::steady_clock;
  std::uint64_t looks = 0;
  std::uint64_t sink = 0;
  const auto t0 = clock::now();
  while (clock::now() - t0 < std::chrono::milliseconds(20)) {
    for (int i = 0; i < 64; ++i) sink += flag_->value();
    looks += 64;
  }
  const double check_ns = std::chrono::duration<double, std::nano>(clock::now() - t0).count() /
                          static_cast<double>(looks);
  const double item_ns = measure_item_ns_();
  // MPI ranks measure their own costs; all take the slowest look and the fastest item.
  using Across = ipc::StopFlag::Across;
  const auto picoseconds = [](double ns) { return static_cast<std::uint64_t>(ns * 1000.0); };
  check_ns_ =
      static_cast<double>(flag_->across_owners(picoseconds(check_ns), Across::kMax)) / 1000.0;
  item_ns_ = static_cast<double>(flag_->across_owners(picoseconds(item_ns), Across::kMin)) / 1000.0;
  volatile std::uint64_t keep = sink;  // the looks must not be optimised away
  (void)keep;
}

void StopFlagMechanism::reset() {
  flag_->reset();
  events_->checks = 0;
  events_->raised_ns = 0;
  events_->last_stop_ns = 0;
}

std::uint64_t StopFlagMechanism::finish(std::uint64_t result, Measurements& measurements) {
  using Across = ipc::StopFlag::Across;
  // MPI ranks each have their own page: combined here, in every rank. Stop latency across nodes
  // compares their clocks, as synchronised as they are.
  constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t checks = flag_->across_owners(events_->checks.load(), Across::kSum);
  const std::uint64_t mine = events_->raised_ns.load();
  std::uint64_t raised = flag_->across_owners(mine == 0 ? kNever : mine, Across::kMin);
  if (raised == kNever) raised = 0;
  const std::uint64_t stopped = flag_->across_owners(events_->last_stop_ns.load(), Across::kMax);
  // Queue workers count their looks in pages of their own: not measured, rather than 0.
  if (workers_share_pages_) measurements.push_back({"checks", static_cast<double>(checks)});
  measurements.push_back({"check_ns", check_ns_});
  if (raised != 0 && stopped != 0) {  // somebody stopped early
    measurements.push_back(
        {"stop_latency_s", stopped > raised ? static_cast<double>(stopped - raised) * 1e-9 : 0.0});
  }
  return fold(Reduction::kMinNonzero, result, flag_->value());
}

void StopFlagMechanism::release() noexcept { flag_.reset(); }

void StopFlagMechanism::count_checks(std::uint64_t checks) const {
  if (checks != 0) events_->checks.fetch_add(checks, std::memory_order_relaxed);
}

void StopFlagMechanism::note_raised() const {
  std::uint64_t none = 0;  // keep the first raise
  events_->raised_ns.compare_exchange_strong(none, now_ns());
}

void StopFlagMechanism::note_stopped_early() const {
  const std::uint64_t t = now_ns();
  std::uint64_t seen = events_->last_stop_ns.load();
  while (seen < t && !events_->last_stop_ns.compare_exchange_weak(seen, t)) {
  }
}

}  // namespace parbench
