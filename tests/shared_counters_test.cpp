// Every registered shared counter, one parametrised test, restated from the book's experiment:
// W workers each add 2, N times (half of them each add under its own lock, half under one lock
// around all N); a safe counter ends at exactly 2 x W x N, a negative control (no lock)
// at most that, never more. Threads wherever the counter claims to reach them, forked processes
// likewise (ipc/reach.hpp); reset brings it back to 0.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

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

class EveryCounter : public testing::TestWithParam<CounterVariant> {
 protected:
  bool reaches(Workers workers) const {
    return parbench::ipc::reaches(GetParam().need, {.workers = workers});
  }
  // Fewer adds for the file and server variants: each is an open, a read and a rewrite, or a
  // request and a reply.
  std::uint64_t adds() const {
    const std::string& name = GetParam().name;
    return name.starts_with("file") || name == "redis" || name == "broker" ? 300 : 20000;
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
  void expect_count(std::uint64_t count, std::uint64_t expected) const {
    if (GetParam().safe) {
      EXPECT_EQ(count, expected);
    } else {
      // Only the upper bound holds: two unlocked rewrites of the file can interleave into text
      // that parses as nothing ("99\n\n"), so even 0 is an honest final count.
      EXPECT_LE(count, expected) << "a counter without a lock can lose adds, never invent them";
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
  {
    std::vector<std::jthread> threads;
    for (int w = 0; w < kWorkers; ++w) {
      threads.emplace_back([&, w] { add_as_worker(*counter, w, n); });
    }
  }
  expect_count(counter->value(), 2 * kWorkers * n);
}

TEST_P(EveryCounter, ForkedProcessesAddUpWhereItReachesThem) {
  if (!reaches(Workers::kForkedProcesses)) GTEST_SKIP() << "does not claim to reach processes";
  const auto counter = GetParam().create({});
  counter->add(5);
  counter->reset();  // what a repetition does before the workers add
  const std::uint64_t n = adds();
  std::vector<pid_t> children;
  for (int w = 0; w < kWorkers; ++w) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      add_as_worker(*counter, w, n);
      _exit(testing::Test::HasFailure() ? 1 : 0);
    }
    children.push_back(child);
  }
  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  expect_count(counter->value(), 2 * kWorkers * n);
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
