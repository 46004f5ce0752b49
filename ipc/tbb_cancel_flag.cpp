// tbb-cancel: TBB's own cancellation. Raising the flag also cancels the task group the finding task
// belongs to (task_group_context::cancel_group_execution), so TBB skips every task not yet started;
// the running ones see the raised word at their next check.
#include <oneapi/tbb/task.h>
#include <oneapi/tbb/task_group.h>

#include <atomic>

#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

class TbbCancelFlag final : public StopFlag {
 public:
  void raise(std::uint64_t value) override {
    raise_to_min(word_, value);
    if (auto* context = tbb::task::current_context()) context->cancel_group_execution();
  }
  std::uint64_t value() override { return word_.load(std::memory_order_relaxed); }
  void reset() override { word_.store(0); }

 private:
  alignas(64) std::atomic<std::uint64_t> word_{0};
};

}  // namespace

StopFlagVariant tbb_cancel_flag_variant() {
  return {"tbb-cancel", "TBB's task_group_context::cancel_group_execution, plus an atomic",
          Need::kTbbTaskGroup, make_from_settings<TbbCancelFlag>};
}

}  // namespace parbench::ipc
