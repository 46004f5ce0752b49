#include "ipc/shared_counter.hpp"

namespace parbench::ipc {

const std::vector<CounterVariant>& counter_variants() {
  // One line per mechanism.
  static const std::vector<CounterVariant> variants{
      atomic_counter_variant(),      //
      mutex_counter_variant(),       //
      shm_counter_variant(),         //
      shm_atomic_counter_variant(),  //
      shm_mutex_counter_variant(),   //
      shm_spin_counter_variant(),    //
      file_counter_variant(),        //
      file_flock_counter_variant(),
  };
  return variants;
}

const CounterVariant* find_counter(const std::string& name) {
  for (const auto& v : counter_variants()) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

}  // namespace parbench::ipc
