// Every in-process backend gives exactly the serial result at every worker count, for even and
// uneven sizes and for more workers than items, and reports a failing worker instead of hanging.
#include <gtest/gtest.h>

#include "harness/backends/registry.hpp"
#include "harness/backends/threads_in_rank.hpp"
#include "harness/records/errors.hpp"
#include "test_workloads.hpp"

namespace {

using namespace parbench;

// Every backend compiled in whose workers run in or are forked from this process (MPI ranks:
// tests/*.sh, under mpirun).
std::vector<std::string> parallel_backends() {
  std::vector<std::string> names;
  for (const auto& entry : backends::all_backends()) {
    const auto w = entry.model.workers;
    if (entry.make && (w == ipc::Workers::kThreads || w == ipc::Workers::kForkedProcesses))
      names.push_back(entry.name);
  }
  return names;
}

std::uint64_t run_once(const std::string& backend, const Workload& work, int workers) {
  auto b = backends::find_backend(backend)->make();
  b->start(work, workers, Schedule{});
  const RunOutput out = b->run();
  b->stop();
  EXPECT_EQ(out.workers.size(), static_cast<std::size_t>(workers)) << backend;
  std::uint64_t items = 0;
  for (const auto& w : out.workers) items += w.items;
  EXPECT_EQ(items, work.size()) << backend << " workers=" << workers;
  return out.result;
}

class EveryBackend : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
#if defined(__SANITIZE_THREAD__)
    if (backends::find_backend(GetParam())->model.tbb_tasks) {
      GTEST_SKIP() << "Debian's oneTBB is not built with ThreadSanitizer: its task hand-offs are "
                      "invisible to it, and every parallel_for reports races inside oneTBB's "
                      "own headers (run these under the asan preset)";
    }
    if (GetParam() == "openmp") {
      GTEST_SKIP() << "GCC's libgomp is not built with ThreadSanitizer: its barriers are invisible "
                      "to it (run these under the asan preset)";
    }
#endif
  }
};

TEST_P(EveryBackend, SameCountAsSerialForOneToFiveWorkers) {
  for (const std::uint64_t n : {1'000'000ULL, 1'000'007ULL, 3ULL}) {
    const test_workloads::PiCount work(n);
    const std::uint64_t serial = run_once("serial", work, 1);
    for (int workers = 1; workers <= 5; ++workers) {
      EXPECT_EQ(run_once(GetParam(), work, workers), serial) << "n=" << n << " workers=" << workers;
    }
  }
}

TEST_P(EveryBackend, PoolIsReusedAcrossRepetitions) {
  const test_workloads::PiCount work(200'000);
  auto b = backends::find_backend(GetParam())->make();
  b->start(work, 3, Schedule{});
  const std::uint64_t first = b->run().result;
  for (int i = 0; i < 20; ++i) EXPECT_EQ(b->run().result, first);
  b->stop();
  b->stop();  // stopping twice is harmless
}

TEST_P(EveryBackend, AWorkerThatThrowsIsReportedAsAFailure) {
  const test_workloads::ThrowsOnItem work(1000, 900);
  auto b = backends::find_backend(GetParam())->make();
  b->start(work, 2, Schedule{});
  // Exactly WorkerFailure, as backend.hpp promises, naming what the worker threw.
  try {
    b->run();
    ADD_FAILURE() << "no failure reported";
  } catch (const WorkerFailure& e) {
    EXPECT_NE(std::string(e.what()).find("item is cursed"), std::string::npos) << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a WorkerFailure: " << e.what();
  }
  b->stop();
}

INSTANTIATE_TEST_SUITE_P(Backends, EveryBackend, ::testing::ValuesIn(parallel_backends()),
                         [](const auto& param_info) { return param_info.param; });

// A hybrid's second level: the slices a rank takes, each run by its pool, add up to the serial
// count, and every thread's load adds up over the slices.
TEST(ThreadsInRank, SlicesRunOnThePoolAddUpToTheWhole) {
  const test_workloads::PiCount work(100003);
  const std::uint64_t whole = work.run_slice(0, work.size());
  for (const auto kind : {ScheduleKind::kStatic, ScheduleKind::kCyclic, ScheduleKind::kDynamic}) {
    backends::ThreadsInRank rank(work, backends::find_backend("threads")->make(), 3,
                                 Schedule{kind, 997});
    rank.clear_loads();
    std::uint64_t total = 0;
    std::uint64_t done_all = 0;
    for (const auto& [begin, end] :
         {std::pair<std::uint64_t, std::uint64_t>{0, 40000}, {40000, 40001}, {40001, 100003}}) {
      std::uint64_t done = 0;
      total += rank.run_slice_counted(begin, end, done);
      EXPECT_EQ(done, end - begin);
      done_all += done;
    }
    EXPECT_EQ(total, whole) << schedule_name(kind);
    ASSERT_EQ(rank.loads().size(), 3u);
    std::uint64_t items = 0;
    for (const auto& load : rank.loads()) items += load.items;
    EXPECT_EQ(items, done_all);
  }
}

}  // namespace
