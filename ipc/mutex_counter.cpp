// mutex: a word under a std::mutex in one process: the threads' lock.
#include <mutex>

#include "ipc/shared_counter.hpp"

namespace parbench::ipc {
namespace {

class MutexCounter final : public ReadModifyWriteCounter<MutexCounter> {
 public:
  std::unique_lock<std::mutex> hold() { return std::unique_lock(mutex_); }
  std::uint64_t read(const std::unique_lock<std::mutex>& /*held*/) const { return count_; }
  void write(const std::unique_lock<std::mutex>& /*held*/, std::uint64_t v) { count_ = v; }

 private:
  std::mutex mutex_;
  std::uint64_t count_ = 0;
};

}  // namespace

CounterVariant mutex_counter_variant() {
  return {{"mutex", "a word under a std::mutex in one process", Need::kOneAddressSpace,
           make_from_settings<MutexCounter>},
          /*safe=*/true};
}

}  // namespace parbench::ipc
