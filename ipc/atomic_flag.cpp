// atomic: a std::atomic inside one process. Threads and TBB tasks see it; forked workers would each
// see their own copy, so it is not offered to them.
#include <atomic>

#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

class AtomicFlag final : public StopFlag {
 public:
  void raise(std::uint64_t value) override { raise_to_min(word_, value); }
  std::uint64_t value() override { return word_.load(std::memory_order_relaxed); }
  void reset() override { word_.store(0); }

 private:
  alignas(64) std::atomic<std::uint64_t> word_{0};  // its own cache line: checks never false-share
};

}  // namespace

StopFlagVariant atomic_flag_variant() {
  return {"atomic", "a std::atomic in one process", Need::kOneAddressSpace,
          make_from_settings<AtomicFlag>};
}

}  // namespace parbench::ipc
