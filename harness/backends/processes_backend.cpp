// processes: a pool of fork()ed workers, like the book's multiprocessing.Pool, created once per
// configuration. Jobs and results travel through a Boost.Interprocess segment, never as serialised
// copies: each worker inherits the workload with its address space, so a job is just a slice.
//
// Waiting: a worker sleeps on a process-shared semaphore in the segment. The parent sleeps in
// poll() on an eventfd that finished workers ring and on one pidfd per worker, so a crashed or
// killed worker wakes it at once: no timeouts, no polling loops, nothing hangs.
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <fmt/format.h>
#include <atomic>
#include <boost/interprocess/sync/interprocess_semaphore.hpp>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "harness/backends/registry.hpp"
#include "harness/clock.hpp"
#include "harness/errors.hpp"
#include "harness/partition.hpp"
#include "ipc/child_process.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::backends {
namespace {

namespace bip = boost::interprocess;

struct JobSlot {
  bip::interprocess_semaphore go{0};
  std::atomic<bool> quit{false};
  Slice slice;
  std::uint64_t value = 0;
  double busy_s = 0.0;
  double cpu_s = 0.0;
  bool failed = false;
  char error[200] = {};
};

class ProcessesBackend final : public Backend {
 public:
  ~ProcessesBackend() override { stop(); }

  void start(const Workload& work, int workers) override {
    work_ = &work;
    const auto n = static_cast<std::size_t>(workers);
    segment_ = std::make_unique<ipc::SharedSegment>(n * sizeof(JobSlot) + 1024);
    slots_ = segment_->construct_array<JobSlot>("jobs", n);
    done_fd_ = eventfd(0, EFD_CLOEXEC);
    if (done_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    for (std::size_t i = 0; i < n; ++i) {
      children_.push_back(ipc::ChildProcess::fork_running([this, i] { return worker_main(i); }));
    }
    segment_->unlink();  // the workers have the mapping now; nothing can be left in /dev/shm
  }

  RunOutput run() override {
    const std::size_t n = children_.size();
    for (std::size_t i = 0; i < n; ++i) {
      slots_[i].slice = static_block(work_->size(), n, i);
      slots_[i].go.post();
    }
    broken_ = true;  // until every worker has answered
    wait_for_workers(n);
    broken_ = false;

    RunOutput out;
    out.result = reduction_identity(work_->reduction());
    for (std::size_t i = 0; i < n; ++i) {
      const JobSlot& slot = slots_[i];
      if (slot.failed) {
        throw WorkerFailure(fmt::format("worker {} (pid {}) failed: {}", i, children_[i].pid(),
                                        static_cast<const char*>(slot.error)));
      }
      out.result = fold(work_->reduction(), out.result, slot.value);
      out.workers.push_back({slot.busy_s, slot.slice.size()});
      out.outside_cpu_s += slot.cpu_s;
    }
    return out;
  }

  void stop() noexcept override {
    if (slots_ != nullptr) {
      for (std::size_t i = 0; i < children_.size(); ++i) {
        slots_[i].quit.store(true);
        slots_[i].go.post();
      }
    }
    for (auto& child : children_) {
      // A healthy pool's workers exit at once; after a failure the others may be mid-slice, so they
      // are killed without waiting.
      pollfd fd{child.pidfd(), POLLIN, 0};
      if (!broken_) poll(&fd, 1, 1000);
      child.terminate();
    }
    broken_ = false;
    children_.clear();
    if (done_fd_ >= 0) close(done_fd_);
    done_fd_ = -1;
    segment_.reset();
    slots_ = nullptr;
  }

 private:
  int worker_main(std::size_t index) {
    JobSlot& slot = slots_[index];
    for (;;) {
      slot.go.wait();
      if (slot.quit.load()) return 0;
      const double cpu0 = process_cpu_s();
      const double t0 = monotonic_s();
      try {
        slot.value = work_->run_slice(slot.slice.begin, slot.slice.end);
      } catch (const std::exception& e) {
        slot.failed = true;
        std::strncpy(slot.error, e.what(), sizeof(slot.error) - 1);
      }
      slot.busy_s = monotonic_s() - t0;
      slot.cpu_s = process_cpu_s() - cpu0;
      const std::uint64_t one = 1;
      if (write(done_fd_, &one, sizeof one) != sizeof one) return 3;
    }
  }

  // Sleeps until n workers have rung the eventfd, or throws as soon as any worker has died.
  void wait_for_workers(std::size_t n) {
    std::vector<pollfd> fds{{done_fd_, POLLIN, 0}};
    for (const auto& child : children_) fds.push_back({child.pidfd(), POLLIN, 0});
    std::uint64_t finished = 0;
    while (finished < n) {
      if (poll(fds.data(), fds.size(), -1) < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category(), "poll");
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents == 0) continue;
        auto& child = children_[i - 1];
        const int status = child.wait();
        throw WorkerFailure(fmt::format("worker {} (pid {}) {}", i - 1, child.pid(),
                                        ipc::describe_wait_status(status)));
      }
      if (fds[0].revents != 0) {
        std::uint64_t count = 0;
        if (read(done_fd_, &count, sizeof count) == sizeof count) finished += count;
      }
    }
  }

  const Workload* work_ = nullptr;
  std::unique_ptr<ipc::SharedSegment> segment_;
  JobSlot* slots_ = nullptr;
  int done_fd_ = -1;
  bool broken_ = false;
  std::vector<ipc::ChildProcess> children_;
};

}  // namespace

BackendEntry processes_backend() {
  return {.name = "processes",
          .summary = "a pool of fork()ed workers fed through shared memory",
          .make = [] { return std::unique_ptr<Backend>(new ProcessesBackend); },
          .availability =
              [] {
                return Availability{true, ""};
              }};
}

}  // namespace parbench::backends
