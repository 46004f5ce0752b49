// mutex: a word under a std::mutex in one process: the threads' lock.
#include <mutex>

#include "ipc/shared_counter.hpp"

namespace parbench::ipc {
namespace {

class MutexCounter final : public SharedCounter {
 public:
  void add(std::uint64_t k) override {
    std::lock_guard lock(mutex_);
    count_ += k;
  }
  std::uint64_t value() override {
    std::lock_guard lock(mutex_);
    return count_;
  }
  void reset() override {
    std::lock_guard lock(mutex_);
    count_ = 0;
  }

 private:
  std::mutex mutex_;
  std::uint64_t count_ = 0;
};

}  // namespace

CounterVariant mutex_counter_variant() {
  return {"mutex", "a word under a std::mutex in one process", Need::kOneAddressSpace, true,
          make_counter<MutexCounter>};
}

}  // namespace parbench::ipc
