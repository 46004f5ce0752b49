// The life of a workload's IPC mechanism over one configuration (harness/backends/mechanism.hpp),
// as the runner drives it: made around the backend's start, reset before and finished after every
// repetition, and released when this guard goes, which the runner arranges to be after the backend
// has stopped, also after a failure. Without a mechanism every step does nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/backends/mechanism.hpp"

namespace parbench {

class MechanismLife {
 public:
  explicit MechanismLife(Mechanism* mechanism) : mechanism_(mechanism) {}
  MechanismLife(const MechanismLife&) = delete;
  MechanismLife& operator=(const MechanismLife&) = delete;
  ~MechanismLife() {
    if (made_) mechanism_->release();
  }

  // Before the backend starts: which workers it serves; then made now, so that forked workers
  // inherit it, unless it belongs to an MPI job (ipc::made_after_start).
  void before_start(const ipc::WorkerModel& workers) {
    if (mechanism_ == nullptr) return;
    mechanism_->serve(workers);
    if (!ipc::made_after_start(mechanism_->need())) make();
  }
  // Once the backend has started: an MPI job's objects, made in every rank at once.
  void after_start() {
    if (mechanism_ != nullptr && ipc::made_after_start(mechanism_->need())) make();
  }
  void reset() {
    if (mechanism_ != nullptr) mechanism_->reset();
  }
  // The repetition's result as the mechanism completes it; its figures go to `measurements`.
  std::uint64_t finish(std::uint64_t result, Measurements& measurements) {
    return mechanism_ != nullptr ? mechanism_->finish(result, measurements) : result;
  }
  // What the last finish() found wrong (Mechanism::problem).
  std::string problem() const { return mechanism_ != nullptr ? mechanism_->problem() : ""; }

 private:
  void make() {
    made_ = true;  // before make(): one that fails half-way is released too
    mechanism_->make();
  }

  Mechanism* mechanism_;
  bool made_ = false;
};

}  // namespace parbench
