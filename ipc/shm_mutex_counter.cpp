// shm-mutex: a word in shared memory under a Boost.Interprocess interprocess_mutex in the same
// segment: the book's Value with its Lock.
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>

#include "ipc/shared_counter.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::ipc {
namespace {

namespace bip = boost::interprocess;

struct LockedCount {
  bip::interprocess_mutex mutex;
  std::uint64_t value = 0;
};

class ShmMutexCounter final : public ReadModifyWriteCounter<ShmMutexCounter> {
 public:
  ShmMutexCounter() : segment_(4096), count_(segment_.construct_array<LockedCount>("counter", 1)) {
    segment_.unlink();
  }
  using Held = bip::scoped_lock<bip::interprocess_mutex>;
  Held hold() { return Held(count_->mutex); }
  std::uint64_t read(const Held& /*held*/) const { return count_->value; }
  void write(const Held& /*held*/, std::uint64_t v) { count_->value = v; }

 private:
  SharedSegment segment_;
  LockedCount* count_;
};

}  // namespace

CounterVariant shm_mutex_counter_variant() {
  return {"shm-mutex",
          "a word in shared memory under an interprocess_mutex (the book's Value + Lock)",
          Need::kMadeBeforeStart, true, make_counter<ShmMutexCounter>};
}

}  // namespace parbench::ipc
