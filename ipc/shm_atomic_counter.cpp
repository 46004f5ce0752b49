// shm-atomic: an atomic word in a Boost.Interprocess shared-memory segment, fetch_add: the
// lock-free floor for processes.
#include <atomic>

#include "ipc/shared_counter.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::ipc {
namespace {

static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "the counter must work across processes");

class ShmAtomicCounter final : public SharedCounter {
 public:
  ShmAtomicCounter()
      : segment_(4096), word_(segment_.construct_array<std::atomic<std::uint64_t>>("counter", 1)) {
    segment_.unlink();
  }
  void add(std::uint64_t k) override { word_->fetch_add(k, std::memory_order_relaxed); }
  std::uint64_t value() override { return word_->load(); }
  void reset() override { word_->store(0); }

 private:
  SharedSegment segment_;
  std::atomic<std::uint64_t>* word_;
};

}  // namespace

CounterVariant shm_atomic_counter_variant() {
  return {{"shm-atomic", "an atomic in shared memory (fetch_add)", Need::kMadeBeforeStart,
           make_from_settings<ShmAtomicCounter>},
          /*safe=*/true};
}

}  // namespace parbench::ipc
