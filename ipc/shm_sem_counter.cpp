// shm-sem: a word in shared memory under a Boost.Interprocess interprocess_semaphore of count 1
// used as a lock (a POSIX unnamed semaphore: sem_wait, sem_post). Unlike a mutex it has no owner,
// so nothing could tell that a holder died; it is here because the book's readers reach for one.
#include <boost/interprocess/sync/interprocess_semaphore.hpp>

#include "ipc/shared_counter.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::ipc {
namespace {

namespace bip = boost::interprocess;

struct SemaphoreCount {
  bip::interprocess_semaphore free{1};
  std::uint64_t value = 0;
};

class ShmSemCounter final : public ReadModifyWriteCounter<ShmSemCounter> {
 public:
  ShmSemCounter()
      : segment_(4096), count_(segment_.construct_array<SemaphoreCount>("counter", 1)) {
    segment_.unlink();
  }

  // The semaphore's one unit, taken for as long as the object lives.
  class Held {
   public:
    explicit Held(bip::interprocess_semaphore& free) : free_(free) { free_.wait(); }
    ~Held() { free_.post(); }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    bip::interprocess_semaphore& free_;
  };
  Held hold() { return Held(count_->free); }
  std::uint64_t read(const Held& /*held*/) const { return count_->value; }
  void write(const Held& /*held*/, std::uint64_t v) { count_->value = v; }

 private:
  SharedSegment segment_;
  SemaphoreCount* count_;
};

}  // namespace

CounterVariant shm_sem_counter_variant() {
  return {"shm-sem", "a word in shared memory under an interprocess_semaphore used as a lock",
          Need::kMadeBeforeStart, true, make_counter<ShmSemCounter>};
}

}  // namespace parbench::ipc
