// Every registered shared counter, one parametrised test, restated from the book's experiment:
// W workers each add 2, N times (half of them each add under its own lock, half under one lock
// around all N); a safe counter ends at exactly 2 x W x N, a negative control (no lock)
// at most that, never more, and below it in one of a few runs: a control that stops losing adds
// no longer shows what it is there to show. Threads wherever the counter claims to reach them,
// forked processes likewise (ipc/reach.hpp); reset brings it back to 0.
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <latch>
#include <thread>
#include <vector>

#include "ipc/shared_counter.hpp"

namespace parbench::ipc {
void PrintTo(const CounterVariant& variant, std::ostream* out) { *out << variant.name; }
}  // namespace parbench::ipc

namespace {

using parbench::ipc::CounterVariant;
using parbench::ipc::SharedCounter;
using parbench::ipc::Workers;

constexpr int kWorkers = 4;
// Runs of a negative control before it counts as no longer racing. The workers start together
// (a latch, a pipe) and add long enough to span time slices; on the 2-vCPU CI VM, shared with
// other builds, 20 repetitions of every control lost adds in the first run nearly always, in the
// third at most.
constexpr int kTries = 20;

// The CPUs this process may run on (taskset included): the race needs two workers at once.
int usable_cpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
  return static_cast<int>(std::thread::hardware_concurrency());
}

class EveryCounter : public testing::TestWithParam<CounterVariant> {
 protected:
  bool reaches(Workers workers) const {
    return parbench::ipc::reaches(GetParam().need, {.workers = workers});
  }
  // Fewer adds for the file and server variants: each is an open, a read and a rewrite, or a
  // request and a reply. Ten times more for a negative control: otherwise a worker's adds fit in
  // one time slice of a busy vCPU, so the workers could take turns and never race; but not for
  // file-truncate, whose every rewrite waits for the disk (0.2 ms) and races at once.
  std::uint64_t adds() const {
    const std::string& name = GetParam().name;
    const bool slow = name.starts_with("file") || name == "redis" || name == "broker";
    const std::uint64_t n = slow ? 300 : 20000;
    return GetParam().safe || name == "file-truncate" ? n : 10 * n;
  }
  // Worker w's n adds of 2: even workers lock each add, odd ones hold the lock around all of them
  // (--lock-scope all), with a little work before each; the two scopes must exclude each other.
  static void add_as_worker(SharedCounter& counter, int w, std::uint64_t n) {
    if (w % 2 == 1) {
      std::uint64_t thought = 0;
      counter.add_many(n, 2, [&] { ++thought; });
      if (thought != n) ADD_FAILURE() << "think ran " << thought << " times, not " << n;
      return;
    }
    for (std::uint64_t i = 0; i < n; ++i) counter.add(2);
  }
  // `run` adds from 0 and returns the count. A safe counter reaches `expected` exactly; a negative
  // control never exceeds it (two unlocked rewrites of the file can interleave into text that
  // parses as nothing, "99\n\n", so even 0 is an honest count) and falls short in one of kTries
  // runs.
  void expect_count(const std::function<std::uint64_t()>& run, std::uint64_t expected) const {
    if (GetParam().safe) {
      EXPECT_EQ(run(), expected);
      return;
    }
    for (int t = 1; t <= kTries && !HasFailure(); ++t) {
      const std::uint64_t count = run();
      EXPECT_LE(count, expected) << "a counter without a lock can lose adds, never invent them";
      if (count < expected) return;
      if (usable_cpus() < 2) {
        GTEST_SKIP() << "one CPU: the workers take turns, so the race need not show (the count "
                     << count << " is at most " << expected << ")";
      }
    }
    if (!HasFailure()) {
      ADD_FAILURE() << GetParam().name << " lost no add in " << kTries << " runs of " << kWorkers
                    << " workers starting together: the negative control no longer races";
    }
  }
};

TEST_P(EveryCounter, AddsAndResets) {
  if (parbench::ipc::made_after_start(GetParam().need))
    GTEST_SKIP() << GetParam().name << " is made by the ranks of an MPI job (tested under mpirun)";
  const auto counter = GetParam().create({});
  EXPECT_EQ(counter->value(), 0u);
  counter->add(3);
  counter->add(4);
  EXPECT_EQ(counter->value(), 7u);
  counter->reset();
  EXPECT_EQ(counter->value(), 0u);
  counter->add(1);
  EXPECT_EQ(counter->value(), 1u);
}

TEST_P(EveryCounter, ThreadsAddUpWhereItReachesThem) {
  if (!reaches(Workers::kThreads)) GTEST_SKIP() << "does not claim to reach threads";
  const auto counter = GetParam().create({});
  const std::uint64_t n = adds();
  expect_count(
      [&] {
        counter->reset();
        {
          std::latch start(kWorkers);  // no worker finishes before the last has started
          std::vector<std::jthread> threads;
          for (int w = 0; w < kWorkers; ++w) {
            threads.emplace_back([&, w] {
              start.arrive_and_wait();
              add_as_worker(*counter, w, n);
            });
          }
        }
        return counter->value();
      },
      2 * kWorkers * n);
}

TEST_P(EveryCounter, ForkedProcessesAddUpWhereItReachesThem) {
  if (!reaches(Workers::kForkedProcesses)) GTEST_SKIP() << "does not claim to reach processes";
  const auto counter = GetParam().create({});
  counter->add(5);
  const std::uint64_t n = adds();
  expect_count(
      [&] {
        counter->reset();  // what a repetition does before the workers add
        // The children wait for the end of this pipe, which comes when the parent closes it
        // after the last fork: they start together.
        int start[2];
        if (pipe(start) != 0) {
          ADD_FAILURE() << "pipe failed";
          return std::uint64_t{0};
        }
        std::vector<pid_t> children;
        for (int w = 0; w < kWorkers; ++w) {
          const pid_t child = fork();
          if (child == 0) {
            close(start[1]);
            char c = 0;
            while (read(start[0], &c, 1) < 0) {
            }
            add_as_worker(*counter, w, n);
            _exit(testing::Test::HasFailure() ? 1 : 0);
          }
          if (child < 0) ADD_FAILURE() << "fork failed";
          if (child > 0) children.push_back(child);
        }
        close(start[1]);
        close(start[0]);
        for (const pid_t child : children) {
          int status = 0;
          EXPECT_EQ(waitpid(child, &status, 0), child);
          EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
        }
        return counter->value();
      },
      2 * kWorkers * n);
}

INSTANTIATE_TEST_SUITE_P(
    Registered, EveryCounter,
    testing::ValuesIn(parbench::ipc::registered<parbench::ipc::CounterVariant>()),
    [](const testing::TestParamInfo<CounterVariant>& param) {
      std::string name = param.param.name;
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

}  // namespace
