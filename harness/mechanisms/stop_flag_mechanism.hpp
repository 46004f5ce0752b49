// A stop flag (ipc/stop_flag.hpp) as the runner drives it: one per workload that uses one, made
// for each configuration and released after it. It also measures what a flag costs: looks at it
// (counted by the kernel, summed over workers), the cost of one look, and the time from the first
// raise to the last worker that stopped early. These go to the row as its measurements.
#pragma once

#include <boost/interprocess/mapped_region.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "harness/mechanisms/variant_mechanism.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench {

class StopFlagMechanism final : public VariantMechanism<ipc::StopFlagVariant> {
 public:
  // `item_ns` measures what one work item costs, for choosing how often to look (--check-every
  // auto): the kernel knows, the flag does not.
  StopFlagMechanism(const ipc::StopFlagVariant& variant, ipc::MechanismSettings settings,
                    bool chosen_as_group, std::function<double()> item_ns);

  void make() override;
  void reset() override;
  // Folds in the smallest factor raised (a cancelled TBB reduction may drop the finder's partial
  // result) and reports checks, check_ns and stop_latency_s.
  std::uint64_t finish(std::uint64_t result, Measurements& measurements) override;
  void release() noexcept override;
  void serve(const ipc::WorkerModel& workers) override {
    workers_share_pages_ = !workers.report_through_backend;
  }
  std::vector<std::string> join_args() const override {
    return flag_ ? join_args_of(flag_->join_point()) : std::vector<std::string>{};
  }

  // For the kernel, between make() and release(): the flag, and what it cost when made (MPI: the
  // slowest rank's look, the fastest rank's item, so that every rank chooses one interval).
  ipc::StopFlag* flag() const { return flag_.get(); }
  bool made() const { return flag_ != nullptr; }
  double check_ns() const { return check_ns_; }
  double item_ns() const { return item_ns_; }
  // Events the kernel reports from its workers (threads or forked processes).
  void count_checks(std::uint64_t checks) const;
  void note_raised() const;
  void note_stopped_early() const;

 private:
  // In a page shared with forked workers, made before they are.
  struct Events {
    std::atomic<std::uint64_t> checks{0};
    std::atomic<std::uint64_t> raised_ns{0};     // 0: nobody raised
    std::atomic<std::uint64_t> last_stop_ns{0};  // 0: nobody stopped early
  };

  std::function<double()> measure_item_ns_;
  boost::interprocess::mapped_region page_;
  Events* events_;
  std::unique_ptr<ipc::StopFlag> flag_;
  bool workers_share_pages_ = true;  // they report their looks into events_
  double check_ns_ = 0.0;
  double item_ns_ = 0.0;
};

}  // namespace parbench
