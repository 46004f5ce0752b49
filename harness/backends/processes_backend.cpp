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
#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <boost/interprocess/ipc/message_queue.hpp>
#include <boost/interprocess/sync/interprocess_semaphore.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <system_error>
#include <thread>

#include "harness/backends/partition.hpp"
#include "harness/backends/registry.hpp"
#include "harness/records/clock.hpp"
#include "harness/records/errors.hpp"
#include "ipc/child_process.hpp"
#include "ipc/cleanup.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::backends {
namespace {

namespace bip = boost::interprocess;

constexpr std::uint64_t kPoisonPill = std::numeric_limits<std::uint64_t>::max();
constexpr std::size_t kQueueCapacity = 1024;

struct ResultMessage {
  std::uint64_t worker;
  std::uint64_t value;
  std::uint64_t items;
  double busy_s;
  double cpu_s;
};

// A message_queue owned by the run: unique name, mode 0600, registered for cleanup, and unlinked as
// soon as the workers that share it exist.
class OwnedQueue {
 public:
  OwnedQueue(const char* what, std::size_t capacity, std::size_t message_size)
      : name_(name_with_room(what, capacity, message_size)),
        registered_(register_name(name_)),
        queue_(bip::create_only, name_.c_str(), capacity, message_size, owner_only()) {}
  ~OwnedQueue() { unlink(); }
  OwnedQueue(const OwnedQueue&) = delete;
  OwnedQueue& operator=(const OwnedQueue&) = delete;
  bip::message_queue& get() { return queue_; }
  void unlink() noexcept {
    if (!registered_) return;
    bip::message_queue::remove(name_.c_str());
    ipc::unregister_path("/" + name_);
    registered_ = false;
  }

 private:
  // Boost writes the queue's pages as it makes it, and a full /dev/shm answers that with SIGBUS.
  // Boost makes the object, so nothing can reserve them first: the room is checked instead (a
  // failed row naming it; only a race with another process filling /dev/shm is left).
  static std::string name_with_room(const char* what, std::size_t capacity,
                                    std::size_t message_size) {
    using Header = bip::ipcdetail::mq_hdr_t<bip::offset_ptr<void>>;
    const std::size_t page = 4096;
    const std::size_t bytes =
        (Header::get_mem_size(message_size, capacity) + page - 1) / page * page;
    ipc::require_room(bytes, "", fmt::format("the {} queue", what));
    return ipc::unique_ipc_name(what);
  }
  static bool register_name(const std::string& name) {
    ipc::register_path("/" + name, ipc::PathKind::kSharedMemory);
    return true;
  }
  static bip::permissions owner_only() {
    bip::permissions perm;
    perm.set_permissions(0600);
    return perm;
  }
  std::string name_;
  bool registered_;
  bip::message_queue queue_;
};

struct Control {
  std::atomic<std::uint64_t> next_chunk{0};  // the dynamic schedule's shared counter
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "the counter must work across processes");

struct JobSlot {
  bip::interprocess_semaphore go{0};
  std::atomic<bool> quit{false};
  std::uint64_t value = 0;
  std::uint64_t items = 0;
  double busy_s = 0.0;
  double cpu_s = 0.0;
  bool failed = false;
  char error[200] = {};
};

class ProcessesBackend final : public Backend {
 public:
  ~ProcessesBackend() override { stop(); }

  void start(const Workload& work, int workers, const Schedule& schedule) override {
    work_ = &work;
    schedule_ = schedule;
    const auto n = static_cast<std::size_t>(workers);
    segment_ = std::make_unique<ipc::SharedSegment>(n * sizeof(JobSlot) + sizeof(Control) + 1024);
    slots_ = segment_->construct_array<JobSlot>("jobs", n);
    control_ = segment_->construct_array<Control>("control", 1);
    if (schedule.kind == ScheduleKind::kQueue) {
      jobs_ = std::make_unique<OwnedQueue>("jobs", kQueueCapacity, sizeof(std::uint64_t));
      results_ = std::make_unique<OwnedQueue>("results", n, sizeof(ResultMessage));
    }
    done_fd_ = eventfd(0, EFD_CLOEXEC);
    if (done_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    worker_count_ = n;
    for (std::size_t i = 0; i < n; ++i) {
      children_.push_back(ipc::ChildProcess::fork_running([this, i] { return worker_main(i); }));
    }
    // The workers have the mappings now; nothing can be left in /dev/shm.
    segment_->unlink();
    if (jobs_) jobs_->unlink();
    if (results_) results_->unlink();
  }

  RunOutput run() override {
    const std::size_t n = children_.size();
    control_->next_chunk.store(0);
    for (std::size_t i = 0; i < n; ++i) slots_[i].go.post();
    broken_ = true;  // until every worker has answered
    {
      std::jthread feeder;
      if (jobs_) feeder = std::jthread([this, n](const std::stop_token& stop) { feed(n, stop); });
      wait_for_workers(n);
    }
    broken_ = false;
    if (results_) collect_results(n);

    RunOutput out;
    out.result = reduction_identity(work_->reduction());
    for (std::size_t i = 0; i < n; ++i) {
      const JobSlot& slot = slots_[i];
      if (slot.failed) {
        throw WorkerFailure(fmt::format("worker {} (pid {}) failed: {}", i, children_[i].pid(),
                                        static_cast<const char*>(slot.error)));
      }
      out.result = fold(work_->reduction(), out.result, slot.value);
      out.workers.push_back({slot.busy_s, slot.items});
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
    jobs_.reset();
    results_.reset();
    if (done_fd_ >= 0) close(done_fd_);
    done_fd_ = -1;
    segment_.reset();
    slots_ = nullptr;
  }

 private:
  int worker_main(std::size_t index) {
    JobSlot& slot = slots_[index];
    const std::uint64_t chunks = chunk_count(work_->size(), schedule_.chunk);
    auto claim = [&]() -> std::optional<std::uint64_t> {
      if (jobs_) {
        std::uint64_t c = 0;
        bip::message_queue::size_type received = 0;
        unsigned priority = 0;
        jobs_->get().receive(&c, sizeof c, received, priority);
        return c == kPoisonPill ? std::nullopt : std::optional(c);
      }
      const std::uint64_t c = control_->next_chunk.fetch_add(1, std::memory_order_relaxed);
      return c < chunks ? std::optional(c) : std::nullopt;
    };
    for (;;) {
      slot.go.wait();
      if (slot.quit.load()) return 0;
      const double cpu0 = process_cpu_s();
      WorkerShare share;
      try {
        share = run_share(*work_, schedule_, index, worker_count_, claim);
      } catch (const std::exception& e) {
        slot.failed = true;
        std::strncpy(slot.error, e.what(), sizeof(slot.error) - 1);
        if (jobs_) {
          while (claim()) {  // drain to this worker's pill, or the feeder would wait for it forever
          }
        }
      }
      const double cpu = process_cpu_s() - cpu0;
      if (results_) {
        const ResultMessage m{index, share.value, share.report.items, share.report.busy_s, cpu};
        results_->get().send(&m, sizeof m, 0);
      } else {
        slot.value = share.value;
        slot.items = share.report.items;
        slot.busy_s = share.report.busy_s;
        slot.cpu_s = cpu;
      }
      const std::uint64_t one = 1;
      if (write(done_fd_, &one, sizeof one) != sizeof one) return 3;
    }
  }

  // The feeder: every chunk index, then one pill per worker. Sends time out now and then so that
  // the feeder notices when the run was abandoned (a worker died) instead of blocking on a full
  // queue.
  void feed(std::size_t workers, const std::stop_token& stop) {
    const std::uint64_t chunks = chunk_count(work_->size(), schedule_.chunk);
    auto send = [&](std::uint64_t message) {
      while (!stop.stop_requested()) {
        const auto deadline = boost::posix_time::microsec_clock::universal_time() +
                              boost::posix_time::milliseconds(50);
        if (jobs_->get().timed_send(&message, sizeof message, 0, deadline)) return true;
      }
      return false;
    };
    for (std::uint64_t c = 0; c < chunks; ++c) {
      if (!send(c)) return;
    }
    for (std::size_t w = 0; w < workers; ++w) {
      if (!send(kPoisonPill)) return;
    }
  }

  void collect_results(std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) {
      ResultMessage m{};
      bip::message_queue::size_type received = 0;
      unsigned priority = 0;
      if (!results_->get().try_receive(&m, sizeof m, received, priority)) {
        throw WorkerFailure("a worker rang without sending its result");
      }
      JobSlot& slot = slots_[m.worker];
      slot.value = m.value;
      slot.items = m.items;
      slot.busy_s = m.busy_s;
      slot.cpu_s = m.cpu_s;
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
  Schedule schedule_;
  std::size_t worker_count_ = 0;
  std::unique_ptr<ipc::SharedSegment> segment_;
  JobSlot* slots_ = nullptr;
  Control* control_ = nullptr;
  std::unique_ptr<OwnedQueue> jobs_;
  std::unique_ptr<OwnedQueue> results_;
  int done_fd_ = -1;
  bool broken_ = false;
  std::vector<ipc::ChildProcess> children_;
};

}  // namespace

BackendEntry processes_backend() {
  return {.name = "processes",
          .summary = "a pool of fork()ed workers fed through shared memory",
          .make = [] { return std::unique_ptr<Backend>(new ProcessesBackend); },
          .availability = always_available,
          .model = {ipc::Workers::kForkedProcesses},
          .schedules = {ScheduleKind::kStatic, ScheduleKind::kCyclic, ScheduleKind::kDynamic,
                        ScheduleKind::kQueue}};
}

}  // namespace parbench::backends
