#include "harness/mechanisms/block_mechanism.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "harness/records/clock.hpp"

namespace parbench {

void BlockMechanism::make() {
  if (workers_keep_array_) return;
  block_ = create();
  ledger_ = std::make_unique<ipc::WorkerLedger>();
}

double BlockMechanism::write_default() {
  if (!block_->holds_array()) return 0.0;  // the owner writes it (rank 0 of an MPI job)
  const auto words = block_->words();
  const double t0 = monotonic_s();
  std::fill(words.begin(), words.end(), settings_.default_word);
  return monotonic_s() - t0;
}

void BlockMechanism::reset() {
  tallies_.clear();
  if (workers_keep_array_) return;  // their parent writes the default, outside their timing
  block_->discard();  // every repetition starts from fresh pages: the first touch is measured
  if (first_touch_ == FirstTouch::kPopulate) block_->populate();
  if (first_touch_ != FirstTouch::kWorkers) default_fill_s_ = write_default();
  // The same write again, every page now mapped and written once: this machine's memset bandwidth
  // on this very block, in this run, what the workers' GB/s compares with.
  if (first_touch_ == FirstTouch::kPopulate) memset_s_ = write_default();
  block_->before_repetition();
  ledger_->next_repetition();  // last: the owner's own faults above are not the workers'
}

std::uint64_t BlockMechanism::finish(std::uint64_t result, Measurements& measurements) {
  if (workers_keep_array_) {  // the result is the checksum their parent computed
    Inspection found = judge_tallies_(result, tallies_);
    for (auto& m : found.measurements) measurements.push_back(std::move(m));
    problem_ = std::move(found.problem);
    return found.checksum;
  }
  const std::uint64_t copied = block_->after_repetition();
  const ipc::ProcessCost cost = block_->across_processes(ledger_->cost());
  if (!block_->holds_array()) return 0;  // an MPI rank other than 0: rank 0 verifies and reports
  const double bytes = static_cast<double>(settings_.bytes);
  measurements.push_back({"bytes_copied", static_cast<double>(copied)});
  measurements.push_back({"worker_processes", static_cast<double>(cost.processes)});
  measurements.push_back({"minor_faults", static_cast<double>(cost.minor_faults)});
  measurements.push_back({"major_faults", static_cast<double>(cost.major_faults)});
  measurements.push_back({"rss_mb", cost.rss_mb_mean});
  measurements.push_back({"pss_mb", cost.pss_mb_mean});
  measurements.push_back({"pss_mb_max", cost.pss_mb_max});
  if (default_fill_s_ > 0.0)
    measurements.push_back({"default_fill_gbs", bytes / default_fill_s_ / 1e9});
  if (memset_s_ > 0.0) measurements.push_back({"memset_gbs", bytes / memset_s_ / 1e9});

  Inspection found = inspect_(block_->words());
  for (auto& m : found.measurements) measurements.push_back(std::move(m));
  problem_ = std::move(found.problem);
  if (const std::uint64_t taken = ledger_->written_rows_found(); taken != 0) {
    problem_ = fmt::format("{} rows no longer held the default when a worker took them", taken) +
               (problem_.empty() ? "" : "; " + problem_);
  }
  return found.checksum;
}

void BlockMechanism::release() noexcept {
  block_.reset();
  ledger_.reset();
}

}  // namespace parbench
