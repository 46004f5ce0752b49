// shm: an atomic word in a Boost.Interprocess shared-memory segment, which forked workers share.
#include <atomic>

#include "ipc/shared_segment.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "the flag must work across processes");

class ShmFlag final : public StopFlag {
 public:
  ShmFlag()
      : segment_(4096), word_(segment_.construct_array<std::atomic<std::uint64_t>>("flag", 1)) {
    segment_.unlink();  // mapped here and, through fork, in every worker; nothing left in /dev/shm
  }
  void raise(std::uint64_t value) override { raise_to_min(*word_, value); }
  std::uint64_t value() override { return word_->load(std::memory_order_relaxed); }
  void reset() override { word_->store(0); }

 private:
  SharedSegment segment_;
  std::atomic<std::uint64_t>* word_;
};

}  // namespace

StopFlagVariant shm_flag_variant() {
  return {"shm", "an atomic in a Boost.Interprocess shared-memory segment", Need::kMadeBeforeStart,
          make_from_settings<ShmFlag>};
}

}  // namespace parbench::ipc
