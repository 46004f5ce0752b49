// A shared counter: every worker adds to it, the owner reads it after the workers are done and
// resets it before each repetition. The second kind of mechanism beside the stop flags (the book's
// "Synchronizing file and variable access"): one file per variant, one registration line in
// shared_counters.cpp. Like a flag, it is made by the owner before the workers start (forked ones
// inherit it) and carries any name it needs (a file) inside the object.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ipc/reach.hpp"

namespace parbench::ipc {

class SharedCounter {
 public:
  virtual ~SharedCounter() = default;
  // Adds k, from any worker, concurrently.
  virtual void add(std::uint64_t k) = 0;
  // The count; called by the owner when no worker runs.
  virtual std::uint64_t value() = 0;
  // Back to 0; called by the owner between repetitions, never while workers run.
  virtual void reset() = 0;
};

struct CounterVariant {
  std::string name;
  std::string summary;
  Need need;  // what the workers must share for the counter to reach them (ipc/reach.hpp)
  // False for the negative controls (no lock around a read-modify-write): their count may fall
  // short, never exceed, and the lost updates are the finding.
  bool safe = true;
  std::function<std::unique_ptr<SharedCounter>()> create;
};

template <typename Counter>
std::unique_ptr<SharedCounter> make_counter() {
  return std::make_unique<Counter>();
}

const std::vector<CounterVariant>& counter_variants();
const CounterVariant* find_counter(const std::string& name);

CounterVariant atomic_counter_variant();
CounterVariant mutex_counter_variant();
CounterVariant shm_counter_variant();
CounterVariant shm_atomic_counter_variant();
CounterVariant shm_mutex_counter_variant();
CounterVariant shm_spin_counter_variant();
CounterVariant file_counter_variant();
CounterVariant file_flock_counter_variant();

}  // namespace parbench::ipc
