// atomic: a std::atomic in one process, fetch_add: the lock-free floor for threads.
#include <atomic>

#include "ipc/shared_counter.hpp"

namespace parbench::ipc {
namespace {

class AtomicCounter final : public SharedCounter {
 public:
  void add(std::uint64_t k) override { count_.fetch_add(k, std::memory_order_relaxed); }
  std::uint64_t value() override { return count_.load(); }
  void reset() override { count_.store(0); }

 private:
  alignas(64) std::atomic<std::uint64_t> count_{0};
};

}  // namespace

CounterVariant atomic_counter_variant() {
  return {{"atomic", "a std::atomic in one process (fetch_add)", Need::kOneAddressSpace,
           make_from_settings<AtomicCounter>},
          /*safe=*/true};
}

}  // namespace parbench::ipc
