// shm-mutex: the shm flag, read and written under a Boost.Interprocess interprocess_mutex in the
// same segment: the analogue of the book's locked multiprocessing.Value.
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>

#include "ipc/shared_segment.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

namespace bip = boost::interprocess;

struct LockedWord {
  bip::interprocess_mutex mutex;
  std::uint64_t value = 0;
};

class ShmMutexFlag final : public StopFlag {
 public:
  ShmMutexFlag() : segment_(4096), word_(segment_.construct_array<LockedWord>("flag", 1)) {
    segment_.unlink();
  }
  void raise(std::uint64_t value) override {
    bip::scoped_lock lock(word_->mutex);
    if (word_->value == 0 || value < word_->value) word_->value = value;
  }
  std::uint64_t value() override {
    bip::scoped_lock lock(word_->mutex);
    return word_->value;
  }
  void reset() override {
    bip::scoped_lock lock(word_->mutex);
    word_->value = 0;
  }

 private:
  SharedSegment segment_;
  LockedWord* word_;
};

}  // namespace

StopFlagVariant shm_mutex_flag_variant() {
  return {"shm-mutex",
          "a word in shared memory under an interprocess_mutex (the book's locked Value)",
          Need::kMadeBeforeStart, make_from_settings<ShmMutexFlag>};
}

}  // namespace parbench::ipc
