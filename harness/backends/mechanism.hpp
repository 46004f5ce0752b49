// The IPC mechanism under test, bound to a workload, as the runner drives it. Every kind (stop
// flags now; shared counters and blocks next) has the same life, and the runner alone drives it:
//
//   make()   once per configuration: before the backend starts, so that forked workers inherit
//            it; for objects of an MPI job (ipc::made_after_start), once it has started, in every
//            rank together;
//   reset()  before every repetition, warm-ups included, never while workers run;
//   finish() after every repetition: the result as the mechanism completes it, and its
//            measurements (in an MPI job every rank calls it: it may combine them across ranks);
//   release() after the configuration's last repetition, also after a failure.
//
// The kernel only uses what make() made; it never makes, resets or measures the mechanism itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/records/measurement.hpp"
#include "ipc/reach.hpp"

namespace parbench {

class Mechanism {
 public:
  virtual ~Mechanism() = default;
  // The CSV's ipc column.
  virtual std::string name() const = 0;
  // What the backend's workers must share for the mechanism to reach them.
  virtual ipc::Need need() const = 0;
  // Which workers it serves, before make(): a mechanism that tallies what workers report into
  // memory of the owner's (a stop flag's looks) tallies nothing from queue workers, which share
  // none, and must not report that as 0.
  virtual void serve(const ipc::WorkerModel& /*workers*/) {}
  // Chosen as part of a group (--ipc all) rather than by name: a backend it cannot reach is then
  // skipped quietly, not noted.
  virtual bool chosen_as_group() const { return false; }

  virtual void make() = 0;
  virtual void reset() = 0;
  virtual std::uint64_t finish(std::uint64_t result, Measurements& measurements) = 0;
  // What the last finish() found wrong with the workers' work (a shared block's census that does
  // not add up): the repetition's row is invalid with it as the error. Empty when nothing.
  virtual std::string problem() const { return {}; }
  virtual void release() noexcept = 0;
  // The kernel arguments with which a process that builds the workload from a description (a
  // queue worker, on any host) joins this very mechanism instead of making one of its own; such a
  // process only calls make() and release(). Empty where none can join from elsewhere.
  virtual std::vector<std::string> join_args() const { return {}; }
  // For workers that kept the mechanism's state in a form of their own (the python backend's
  // Python counters), what it reached in this repetition, handed over before finish() so that it
  // is judged as the native one would be. Only counters have such a state.
  virtual void take_reached(std::uint64_t /*reached*/) {}
  // The same for a shared block the workers kept themselves (the python backend's
  // multiprocessing.Array): what their own pass over the array tallied (rows left at the default,
  // repeated rows, the census of ids), judged in finish() by the kernel's own rules. Only blocks.
  virtual void take_inspection(const Measurements& /*tallies*/) {}
  // In an MPI job, what the ranks do together once each has done its share of a repetition,
  // inside the timed part (a block's rows gathered to rank 0). The MPI backend calls it.
  virtual void complete_share() {}
};

}  // namespace parbench
