// serial: the kernel over the whole range in the calling thread. The reference every other backend
// is compared with.
#include "harness/backends/registry.hpp"
#include "harness/records/clock.hpp"

namespace parbench::backends {
namespace {

class SerialBackend final : public Backend {
 public:
  void start(const Workload& work, int /*workers*/, const Schedule& /*schedule*/) override {
    work_ = &work;
  }

  RunOutput run() override {
    const double t0 = monotonic_s();
    RunOutput out;
    std::uint64_t done = 0;
    out.result = work_->run_slice_counted(0, work_->size(), done);
    out.workers = {{monotonic_s() - t0, done}};
    return out;
  }

  void stop() noexcept override {}

 private:
  const Workload* work_ = nullptr;
};

}  // namespace

BackendEntry serial_backend() {
  return {.name = "serial",
          .summary = "the kernel over the whole range in one thread",
          .make = [] { return std::unique_ptr<Backend>(new SerialBackend); },
          .availability = always_available,
          // One worker, the caller, takes everything in one block: the reference every other
          // backend is compared with (the runner runs it once per workload, first).
          .model = {ipc::Workers::kCaller},
          .schedules = {ScheduleKind::kStatic}};
}

}  // namespace parbench::backends
