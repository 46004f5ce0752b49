// tbb-spin-mutex and tbb-queuing-mutex: a word under one of oneTBB's mutexes, in one process.
// spin_mutex is a test-and-set lock with backoff: cheap, unfair. queuing_mutex hands the lock on in
// arrival order, each waiter spinning on its own flag: fair, at the price of a hand-off per add.
// Two variants, one file: they differ only in the mutex type.
#include <oneapi/tbb/queuing_mutex.h>
#include <oneapi/tbb/spin_mutex.h>

#include "ipc/shared_counter.hpp"

namespace parbench::ipc {
namespace {

template <typename Mutex>
class TbbMutexCounter final : public ReadModifyWriteCounter<TbbMutexCounter<Mutex>> {
 public:
  using Held = typename Mutex::scoped_lock;
  Held hold() { return Held(mutex_); }  // returned without a move: C++17's guaranteed elision
  std::uint64_t read(const Held& /*held*/) const { return count_; }
  void write(const Held& /*held*/, std::uint64_t v) { count_ = v; }

 private:
  Mutex mutex_;
  std::uint64_t count_ = 0;
};

}  // namespace

CounterVariant tbb_spin_mutex_counter_variant() {
  return {{"tbb-spin-mutex", "a word under a oneTBB spin_mutex in one process (unfair, cheap)",
           Need::kOneAddressSpace, make_from_settings<TbbMutexCounter<tbb::spin_mutex>>},
          /*safe=*/true};
}

CounterVariant tbb_queuing_mutex_counter_variant() {
  return {{"tbb-queuing-mutex",
           "a word under a oneTBB queuing_mutex in one process (fair: first come, first served)",
           Need::kOneAddressSpace, make_from_settings<TbbMutexCounter<tbb::queuing_mutex>>},
          /*safe=*/true};
}

}  // namespace parbench::ipc
