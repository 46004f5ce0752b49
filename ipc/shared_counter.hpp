// A shared counter: every worker adds to it, the owner reads it after the workers are done and
// resets it before each repetition. The second kind of mechanism beside the stop flags (the book's
// "Synchronizing file and variable access"): one file per variant, one registration line in
// shared_counters.cpp. Like a flag, it is made by the owner before the workers start (forked ones
// inherit it) and carries any name it needs (a file, a key) inside the object.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ipc/mechanism_settings.hpp"
#include "ipc/variant.hpp"

namespace parbench::ipc {

// What a worker does before each add (--think-ns): arithmetic that keeps it away from the counter.
using Think = std::function<void()>;

class SharedCounter {
 public:
  virtual ~SharedCounter() = default;
  // Adds k, from any worker, concurrently.
  virtual void add(std::uint64_t k) = 0;
  // `times` adds of k, `think` (when set) before each: --lock-scope all. A variant with a lock
  // holds it once around them all (the book's decorator on a worker's whole loop, which serialises
  // the workers); one without a lock adds as add() does.
  virtual void add_many(std::uint64_t times, std::uint64_t k, const Think& think) {
    for (std::uint64_t i = 0; i < times; ++i) {
      if (think) think();
      add(k);
    }
  }
  // The count; called by the owner when no worker runs (in an MPI job, by every rank together).
  virtual std::uint64_t value() = 0;
  // Back to 0; called by the owner between repetitions, never while workers run.
  virtual void reset() = 0;
  // What the workers added in all, given `mine`, this process's view of the backend's combined
  // result. The same number where one process owns the counter; the ranks of an MPI job, of whom
  // only rank 0 receives the backend's reduction, all learn rank 0's. Called, like value(), by
  // every owner after every repetition.
  virtual std::uint64_t added_in_all(std::uint64_t mine) { return mine; }
  // Reads whose text was not one number (two unlocked writers interleaved), counted by every
  // worker since the last reset; only the file variants have text to misread.
  virtual std::uint64_t unparsable_reads() { return 0; }
  // Where workers on other hosts join this counter (MechanismSettings::join_key); nullopt where
  // they cannot.
  virtual std::optional<JoinPoint> join_point() const { return std::nullopt; }
};

// A counter whose add is a read-modify-write inside `hold()`: an RAII object that holds the
// variant's lock (or, for a negative control, only what the access needs, such as an open file).
// The variant supplies hold(), read(held) and write(held, value); this gives both lock scopes and
// the owner's value and reset, each inside a hold.
template <typename Variant>
class ReadModifyWriteCounter : public SharedCounter {
 public:
  void add(std::uint64_t k) final {
    auto held = self().hold();
    self().write(held, self().read(held) + k);
  }
  void add_many(std::uint64_t times, std::uint64_t k, const Think& think) final {
    auto held = self().hold();
    for (std::uint64_t i = 0; i < times; ++i) {
      if (think) think();
      self().write(held, self().read(held) + k);
    }
  }
  std::uint64_t value() final {
    auto held = self().hold();
    return self().read(held);
  }
  void reset() override {
    auto held = self().hold();
    self().write(held, 0);
  }

 private:
  Variant& self() { return static_cast<Variant&>(*this); }
};

// What a counter says beyond every kind (ipc/variant.hpp): whether it is safe. Registered as
// {{name, summary, need, create}, safe}.
struct CounterVariant : Variant<SharedCounter> {
  // False for the negative controls (no lock around a read-modify-write): their count may fall
  // short, never exceed, and the lost updates are the finding.
  bool safe = true;
};
template <>
const std::vector<CounterVariant>& registered();  // shared_counters.cpp

// For the count table, which still looks up whether a variant it reads back is safe.
inline const CounterVariant* find_counter(const std::string& name) {
  return find_registered<CounterVariant>(name);
}

CounterVariant atomic_counter_variant();
CounterVariant mutex_counter_variant();
CounterVariant tbb_spin_mutex_counter_variant();     // only in builds with TBB
CounterVariant tbb_queuing_mutex_counter_variant();  // only in builds with TBB
CounterVariant shm_counter_variant();
CounterVariant shm_atomic_counter_variant();
CounterVariant shm_mutex_counter_variant();
CounterVariant shm_value_counter_variant();
CounterVariant shm_value_lock_counter_variant();
CounterVariant shm_sem_counter_variant();
CounterVariant shm_spin_counter_variant();
CounterVariant file_counter_variant();
CounterVariant file_truncate_counter_variant();
CounterVariant file_flock_counter_variant();
CounterVariant file_fcntl_counter_variant();
CounterVariant file_poll_counter_variant();
CounterVariant broker_counter_variant();
CounterVariant redis_counter_variant();         // only in builds with hiredis
CounterVariant mpi_fetch_op_counter_variant();  // only in builds with MPI
CounterVariant mpi_lock_counter_variant();      // only in builds with MPI
CounterVariant mpi_nolock_counter_variant();    // only in builds with MPI

}  // namespace parbench::ipc
