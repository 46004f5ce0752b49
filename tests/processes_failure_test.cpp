// A forked worker that is killed during a run: the run fails at once, naming the worker and the
// signal; nothing hangs, and no segment or zombie is left behind.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <future>
#include <sstream>

#include "harness/backends/registry.hpp"
#include "harness/records/errors.hpp"
#include "test_workloads.hpp"

namespace {

using namespace parbench;
using namespace std::chrono_literals;

// The children of this process, from /proc/<pid>/task/<tid>/children.
std::vector<pid_t> children_of_self() {
  std::vector<pid_t> pids;
  const std::string task_dir = "/proc/" + std::to_string(getpid()) + "/task";
  DIR* dir = opendir(task_dir.c_str());
  while (dirent* entry = readdir(dir)) {
    std::ifstream in(task_dir + "/" + entry->d_name + "/children");
    for (pid_t pid; in >> pid;) pids.push_back(pid);
  }
  closedir(dir);
  return pids;
}

int segments_of_self() {
  int count = 0;
  const std::string prefix = "parbench-" + std::to_string(getpid()) + "-";
  DIR* dir = opendir("/dev/shm");
  while (dirent* entry = readdir(dir))
    count += std::string(entry->d_name).rfind(prefix, 0) == 0 ? 1 : 0;
  closedir(dir);
  return count;
}

class KilledWorker : public ::testing::TestWithParam<ScheduleKind> {};

TEST_P(KilledWorker, IsReportedAtOnceAndNothingIsLeft) {
  const test_workloads::Sleepy work(30s);
  auto backend = backends::find_backend("processes")->make();
  backend->start(work, 3, Schedule{GetParam(), 1});
  EXPECT_EQ(segments_of_self(), 0) << "the segment's name should be gone once the workers have it";
  const auto workers = children_of_self();
  ASSERT_EQ(workers.size(), 3u);

  auto running = std::async(std::launch::async, [&] { return backend->run(); });
  std::this_thread::sleep_for(200ms);
  const auto t0 = std::chrono::steady_clock::now();
  kill(workers[1], SIGKILL);
  ASSERT_EQ(running.wait_for(5s), std::future_status::ready)
      << "the parent did not notice the dead worker";
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  try {
    running.get();
    FAIL() << "run() should have thrown";
  } catch (const WorkerFailure& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("worker 1"), std::string::npos) << message;
    EXPECT_NE(message.find("pid " + std::to_string(workers[1])), std::string::npos) << message;
    EXPECT_NE(message.find("signal 9"), std::string::npos) << message;
  }
  backend->stop();
  EXPECT_TRUE(children_of_self().empty());
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1) << "a zombie is left";
  EXPECT_EQ(segments_of_self(), 0);
}

// Static: jobs in the shared segment; queue: chunks and results through message queues, with a
// feeder that must not stay blocked on a queue nobody drains.
INSTANTIATE_TEST_SUITE_P(Schedules, KilledWorker,
                         ::testing::Values(ScheduleKind::kStatic, ScheduleKind::kQueue),
                         [](const auto& param_info) { return schedule_name(param_info.param); });

TEST(ProcessesBackend, WorkerExitingWithACodeIsReported) {
  class Exits : public test_workloads::PiCount {
   public:
    Exits() : PiCount(100) {}
    std::uint64_t run_slice(std::uint64_t b, std::uint64_t) const override {
      if (b > 0) _exit(7);
      return 0;
    }
  };
  const Exits work;
  auto backend = backends::find_backend("processes")->make();
  backend->start(work, 2, Schedule{});
  try {
    backend->run();
    FAIL();
  } catch (const WorkerFailure& e) {
    EXPECT_NE(std::string(e.what()).find("exited with code 7"), std::string::npos) << e.what();
  }
  backend->stop();
  EXPECT_TRUE(children_of_self().empty());
}

}  // namespace
