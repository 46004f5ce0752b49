// The queue schedule hands out every chunk exactly once, also when one worker stops taking chunks
// early (it drains to its poison pill), and its message queues never outlive the pool.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/interprocess/anonymous_shared_memory.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "harness/backends/registry.hpp"
#include "harness/records/errors.hpp"
#include "test_workloads.hpp"

namespace {

using namespace parbench;
using namespace std::chrono_literals;

// Counts, in memory shared with forked workers, how often each item was computed.
class CountsVisits final : public test_workloads::PiCount {
 public:
  explicit CountsVisits(std::uint64_t n)
      : PiCount(n),
        page_(boost::interprocess::anonymous_shared_memory(n * sizeof(std::atomic<std::uint32_t>))),
        visits_(static_cast<std::atomic<std::uint32_t>*>(page_.get_address())) {
    for (std::uint64_t i = 0; i < n; ++i) new (&visits_[i]) std::atomic<std::uint32_t>(0);
  }
  std::uint64_t run_slice(std::uint64_t b, std::uint64_t e) const override {
    // The first chunk is slow: that worker falls behind while the others take the rest.
    if (b == 0) std::this_thread::sleep_for(50ms);
    for (std::uint64_t i = b; i < e; ++i) visits_[i].fetch_add(1);
    return e - b;
  }
  void expect_each_visited(std::uint32_t times) const {
    for (std::uint64_t i = 0; i < size(); ++i) ASSERT_EQ(visits_[i].load(), times) << "item " << i;
  }

 private:
  boost::interprocess::mapped_region page_;
  std::atomic<std::uint32_t>* visits_;
};

int message_queues_of_self() {
  int count = 0;
  const std::string prefix = "parbench-" + std::to_string(getpid()) + "-";
  DIR* dir = opendir("/dev/shm");
  while (dirent* entry = readdir(dir))
    count += std::string(entry->d_name).find(prefix) != std::string::npos;
  closedir(dir);
  return count;
}

class QueueSchedule : public ::testing::TestWithParam<std::string> {};

TEST_P(QueueSchedule, EveryChunkExactlyOnce) {
  const CountsVisits work(10'007);
  auto backend = backends::find_backend(GetParam())->make();
  backend->start(work, 3, Schedule{ScheduleKind::kQueue, 10});
  EXPECT_EQ(message_queues_of_self(), 0);
  for (std::uint32_t rep = 1; rep <= 3; ++rep) {
    const RunOutput out = backend->run();
    EXPECT_EQ(out.result, work.size());
    work.expect_each_visited(rep);
    std::uint64_t items = 0;
    for (const auto& w : out.workers) items += w.items;
    EXPECT_EQ(items, work.size());
  }
  backend->stop();
  EXPECT_EQ(message_queues_of_self(), 0);
}

TEST_P(QueueSchedule, AWorkerThatFailsEarlyDoesNotHangTheFeeder) {
  // The worker that takes chunk 0 throws: it drains to its pill, the others finish, the run fails.
  const test_workloads::ThrowsOnItem work(100'000, 0);
  auto backend = backends::find_backend(GetParam())->make();
  backend->start(work, 2, Schedule{ScheduleKind::kQueue, 1});
  auto running = std::async(std::launch::async, [&] { return backend->run(); });
  ASSERT_EQ(running.wait_for(20s), std::future_status::ready) << "the queue hung";
  EXPECT_THROW(running.get(), std::exception);
  backend->stop();
  EXPECT_EQ(message_queues_of_self(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, QueueSchedule, ::testing::Values("threads", "processes"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
