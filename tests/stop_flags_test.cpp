// Every registered stop flag, one parametrised test: a raise keeps the smallest value, a reset
// lowers it, and a raise from another thread or a forked child is seen wherever the flag claims to
// reach (ipc/reach.hpp); mmap-private's, the negative control, is not seen across a fork.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
// GoogleTest names each case by its flag, not by the variant's bytes.
void PrintTo(const StopFlagVariant& variant, std::ostream* out) { *out << variant.name; }
}  // namespace parbench::ipc

namespace {

using parbench::ipc::MechanismSettings;
using parbench::ipc::Need;
using parbench::ipc::StopFlag;
using parbench::ipc::StopFlagVariant;
using parbench::ipc::Workers;

class EveryStopFlag : public testing::TestWithParam<StopFlagVariant> {
 protected:
  // Flags that cannot be made here are skipped in SetUp, with the reason.
  std::unique_ptr<StopFlag> make() { return GetParam().create(MechanismSettings{}); }
  void SetUp() override {
    const auto& v = GetParam();
    if (parbench::ipc::made_after_start(v.need))
      GTEST_SKIP() << v.name << " is made by the ranks of an MPI job (tested under mpirun)";
    const auto a = v.availability(MechanismSettings{});
    if (!a.runnable) GTEST_SKIP() << v.name << " cannot run here: " << a.detail;
  }
  bool reaches(Workers workers) const {
    return parbench::ipc::reaches(GetParam().need, {.workers = workers, .tbb_tasks = true});
  }
};

TEST_P(EveryStopFlag, KeepsTheSmallestRaiseUntilReset) {
  const auto flag = make();
  ASSERT_TRUE(flag);
  EXPECT_EQ(flag->value(), 0u);
  flag->raise(100);
  flag->raise(50);
  flag->raise(70);
  EXPECT_EQ(flag->value(), 50u);
  flag->reset();
  EXPECT_EQ(flag->value(), 0u);
  flag->raise(9);
  EXPECT_EQ(flag->value(), 9u);
}

TEST_P(EveryStopFlag, ARaiseFromAnotherThreadIsSeenWhereItReachesThreads) {
  if (!reaches(Workers::kThreads)) GTEST_SKIP() << "does not claim to reach threads";
  const auto flag = make();
  ASSERT_TRUE(flag);
  std::thread([&] { flag->raise(7); }).join();
  EXPECT_EQ(flag->value(), 7u);
}

TEST_P(EveryStopFlag, ARaiseFromAForkedChildIsSeenOnlyWhereItClaimsToBe) {
  if (!reaches(Workers::kForkedProcesses)) GTEST_SKIP() << "does not claim to reach processes";
  const auto flag = make();
  ASSERT_TRUE(flag);
  flag->reset();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    flag->raise(11);
    _exit(flag->value() == 11 ? 0 : 3);  // the child sees its own raise, always
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  // mmap-private needs separate memory: its raise must stay in the child.
  const bool shared = GetParam().need != Need::kSeparateMemory;
  EXPECT_EQ(flag->value(), shared ? 11u : 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Registered, EveryStopFlag,
    testing::ValuesIn(parbench::ipc::registered<parbench::ipc::StopFlagVariant>()),
    [](const testing::TestParamInfo<StopFlagVariant>& param) {
      std::string name = param.param.name;
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

}  // namespace
