// shm: a word in a Boost.Interprocess shared-memory segment, read and then written with no lock:
// the book's Value without a lock, a negative control. Two workers that read the same value both
// write value + k, and one add is lost. The load and the store are separate atomic operations, so
// the race is the program's and not undefined behaviour, and no compiler merges the loop's adds.
#include <atomic>

#include "ipc/shared_counter.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::ipc {
namespace {

class ShmCounter final : public ReadModifyWriteCounter<ShmCounter> {
 public:
  ShmCounter() : segment_(4096), word_(segment_.construct_array<std::uint64_t>("counter", 1)) {
    segment_.unlink();  // mapped here and, through fork, in every worker; nothing in /dev/shm
  }
  struct Unlocked {};  // what an add holds: nothing
  Unlocked hold() { return {}; }
  std::uint64_t read(Unlocked /*held*/) {
    return std::atomic_ref<std::uint64_t>(*word_).load(std::memory_order_relaxed);
  }
  void write(Unlocked /*held*/, std::uint64_t v) {
    std::atomic_ref<std::uint64_t>(*word_).store(v, std::memory_order_relaxed);
  }

 private:
  SharedSegment segment_;
  std::uint64_t* word_;
};

}  // namespace

CounterVariant shm_counter_variant() {
  return {{"shm", "a word in shared memory, read then written with no lock (negative control)",
           Need::kMadeBeforeStart, make_from_settings<ShmCounter>},
          /*safe=*/false};
}

}  // namespace parbench::ipc
