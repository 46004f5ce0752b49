// shm-sem: a word in shared memory under a Boost.Interprocess interprocess_semaphore of count 1
// used as a lock (a POSIX unnamed semaphore: sem_wait, sem_post). Unlike a mutex it has no owner,
// so nothing could tell that a holder died; it is here because the book's readers reach for one.
#include <boost/interprocess/sync/interprocess_semaphore.hpp>

#include "ipc/shm_locked_counter.hpp"

namespace parbench::ipc {
namespace {

namespace bip = boost::interprocess;

struct BinarySemaphore {
  bip::interprocess_semaphore free{1};
};

// The semaphore's one unit, taken for as long as the object lives.
class Held {
 public:
  explicit Held(BinarySemaphore& lock) : free_(lock.free) { free_.wait(); }
  // sem_post fails only when the count would overflow, which a semaphore of one never reaches.
  ~Held() { free_.post(); }  // NOLINT(bugprone-exception-escape)
  Held(const Held&) = delete;
  Held& operator=(const Held&) = delete;

 private:
  bip::interprocess_semaphore& free_;
};

}  // namespace

CounterVariant shm_sem_counter_variant() {
  return {{"shm-sem", "a word in shared memory under an interprocess_semaphore used as a lock",
           Need::kMadeBeforeStart, make_from_settings<ShmLockedCounter<BinarySemaphore, Held>>},
          /*safe=*/true};
}

}  // namespace parbench::ipc
