// The runner plans before it runs: pairs a backend cannot run are noted (so that a plan with
// nothing left is bad input before any file exists), and a repetition in which a worker did no
// work is recorded as such and warned about.
#include <gtest/gtest.h>

#include "harness/backends/mechanism.hpp"
#include "harness/mechanism_life.hpp"
#include "harness/records/errors.hpp"
#include "harness/runner.hpp"
#include "test_workloads.hpp"

namespace {

using namespace parbench;

// What happened, in order, across the fake backend and the fake mechanism.
std::vector<std::string> g_events;

// Two workers, the second of which never gets an item (TBB's spare arena slots on a busy machine).
class SecondWorkerIdle : public Backend {
 public:
  void start(const Workload& work, int /*workers*/, const Schedule& /*schedule*/) override {
    g_events.emplace_back("start");
    work_ = &work;
  }
  RunOutput run() override {
    g_events.emplace_back("run");
    RunOutput out;
    out.result = work_->run_slice(0, work_->size());
    out.workers = {{0.01, work_->size()}, {0.0, 0}};
    return out;
  }
  void stop() noexcept override { g_events.emplace_back("stop"); }

 private:
  const Workload* work_ = nullptr;
};

backends::BackendEntry fake_entry(std::vector<ScheduleKind> schedules,
                                  ipc::Workers workers = ipc::Workers::kThreads) {
  return {.name = "fake",
          .summary = "test double",
          .make = [] { return std::unique_ptr<Backend>(new SecondWorkerIdle); },
          .availability = backends::always_available,
          .model = {.workers = workers},
          .schedules = std::move(schedules)};
}

// A mechanism that records its life and measures how many times it was reset.
class RecordingMechanism final : public Mechanism {
 public:
  explicit RecordingMechanism(ipc::Need need) : need_(need) {}
  std::string name() const override { return "recording"; }
  ipc::Need need() const override { return need_; }
  void make() override { g_events.emplace_back("make"); }
  void reset() override {
    g_events.emplace_back("reset");
    ++resets_;
  }
  std::uint64_t finish(std::uint64_t result, Measurements& m) override {
    g_events.emplace_back("finish");
    m.push_back({"resets", static_cast<double>(resets_)});
    return result;
  }
  void release() noexcept override { g_events.emplace_back("release"); }

 private:
  ipc::Need need_;
  int resets_ = 0;
};

class PiWithMechanism final : public test_workloads::PiCount {
 public:
  explicit PiWithMechanism(ipc::Need need) : PiCount(1000), mechanism_(need) {}
  Mechanism* mechanism() const override { return &mechanism_; }

 private:
  mutable RecordingMechanism mechanism_;
};

class Capture final : public Reporter {
 public:
  void begin(const RunContext& /*context*/) override {}
  void report(const ConfigResult& result) override { results.push_back(result); }
  std::vector<ConfigResult> results;
};

// A run with its results, its count of failed configurations and its warnings (from stderr).
struct Ran {
  int failures;
  std::vector<ConfigResult> results;
  std::string warnings;
};
Ran run_captured(Runner& runner) {
  Capture capture;
  g_events.clear();
  testing::internal::CaptureStderr();
  const int failures = runner.run(RunContext{}, {&capture});
  return {failures, std::move(capture.results), testing::internal::GetCapturedStderr()};
}

RunPlan plan_for(const backends::BackendEntry& entry, std::vector<ScheduleKind> schedules) {
  RunPlan plan;
  plan.workloads = {std::make_shared<test_workloads::PiCount>(100000)};
  plan.backends = {&entry};
  plan.workers = {2};
  plan.schedules = std::move(schedules);
  plan.warmup = 0;
  plan.repeat = 2;
  plan.hardware_threads = 2;
  return plan;
}

TEST(Runner, ASchedulePairThatCannotRunIsNotedAndLeavesNothing) {
  const auto entry = fake_entry({ScheduleKind::kStatic});
  const Runner runner(plan_for(entry, {ScheduleKind::kAuto}));
  EXPECT_TRUE(runner.configurations().empty());
  ASSERT_EQ(runner.notes().size(), 1u);
  EXPECT_NE(runner.notes()[0].find("fake with schedule auto"), std::string::npos);
}

TEST(Runner, PlansEveryRunnableScheduleAndWorkerCount) {
  const auto entry = fake_entry({ScheduleKind::kStatic, ScheduleKind::kDynamic});
  RunPlan plan = plan_for(entry, {ScheduleKind::kStatic, ScheduleKind::kDynamic});
  plan.workers = {1, 2, 3};
  plan.chunks = {10, 100};
  const Runner runner(std::move(plan));
  // static once per worker count, dynamic once per chunk size and worker count; 3 oversubscribes.
  EXPECT_EQ(runner.configurations().size(), 3u + 6u);
  ASSERT_EQ(runner.notes().size(), 1u);
  EXPECT_NE(runner.notes()[0].find("3 threads outnumber the 2 hardware threads"),
            std::string::npos);
}

TEST(Runner, AWorkerThatDidNoWorkIsRecordedAndWarnedAbout) {
  const auto entry = fake_entry({ScheduleKind::kStatic});
  Runner runner(plan_for(entry, {ScheduleKind::kStatic}));
  const Ran ran = run_captured(runner);
  const std::string& warnings = ran.warnings;
  const auto& capture = ran;
  EXPECT_EQ(ran.failures, 0);
  ASSERT_EQ(capture.results.size(), 1u);
  for (const auto& rep : capture.results[0].reps) {
    ASSERT_EQ(rep.worker_reports.size(), 2u);
    EXPECT_EQ(rep.worker_reports[1].items, 0u);
  }
  EXPECT_NE(warnings.find("up to 1 of the 2 workers did no work"), std::string::npos) << warnings;
}

// A different result every run: any real factor is right when workers stop early.
class AnswerChangesEveryRun final : public test_workloads::PiCount {
 public:
  explicit AnswerChangesEveryRun(bool exact) : PiCount(1000), exact_(exact) {}
  std::uint64_t run_slice(std::uint64_t /*b*/, std::uint64_t /*e*/) const override {
    return ++runs_;
  }
  WorkloadTraits traits() const override { return {.must_match_serial = exact_}; }

 private:
  bool exact_;
  mutable std::uint64_t runs_ = 0;
};

TEST(Runner, AWarmUpMustMatchOnlyWhereTheResultIsOneExactValue) {
  const auto entry = fake_entry({ScheduleKind::kStatic});
  for (const bool exact : {false, true}) {
    RunPlan plan = plan_for(entry, {ScheduleKind::kStatic});
    plan.workloads = {std::make_shared<AnswerChangesEveryRun>(exact)};
    plan.warmup = 1;
    Runner runner(std::move(plan));
    const Ran capture = run_captured(runner);
    ASSERT_EQ(capture.results.size(), 1u);
    EXPECT_EQ(capture.failures, exact ? 1 : 0);
    EXPECT_EQ(capture.results[0].valid, !exact);
    if (exact) {
      EXPECT_NE(capture.results[0].error.find("a warm-up run computed"), std::string::npos);
    }
  }
}

// The runner alone drives a mechanism's life: made before the workers start (after, for objects of
// an MPI job), reset before every repetition (warm-up included), finished after each with its
// measurements in the row, released after the backend has stopped.
TEST(Runner, DrivesEveryMechanismThroughOneLifecycle) {
  const auto entry = fake_entry({ScheduleKind::kStatic}, ipc::Workers::kCaller);
  for (const auto need : {ipc::Need::kMadeBeforeStart, ipc::Need::kMpiJob}) {
    const auto ranks = fake_entry({ScheduleKind::kStatic}, ipc::Workers::kRanks);
    const auto& backend = need == ipc::Need::kMpiJob ? ranks : entry;
    RunPlan plan = plan_for(backend, {ScheduleKind::kStatic});
    plan.workloads = {std::make_shared<PiWithMechanism>(need)};
    plan.workers = {1};
    plan.warmup = 1;
    Runner runner(std::move(plan));
    const Ran capture = run_captured(runner);
    EXPECT_EQ(capture.failures, 0);
    const std::vector<std::string> made_first{"make",   "start", "reset",  "run",   "finish",
                                              "reset",  "run",   "finish", "reset", "run",
                                              "finish", "stop",  "release"};
    std::vector<std::string> expected = made_first;
    if (need == ipc::Need::kMpiJob) std::swap(expected[0], expected[1]);
    EXPECT_EQ(g_events, expected);
    ASSERT_EQ(capture.results.size(), 1u);
    EXPECT_EQ(capture.results[0].first().ipc, "recording");
    const auto& m = capture.results[0].reps.back().measurements;
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].name, "resets");
    EXPECT_EQ(m[0].value, 3.0);  // one warm-up and two repetitions
  }
}

// Which backends a mechanism reaches follows from what both declare, and the pairs that cannot run
// are noted, not run.
// The guard releases only what it made, and what it began to make even when making failed.
class FailsToMake final : public Mechanism {
 public:
  std::string name() const override { return "fails"; }
  ipc::Need need() const override { return ipc::Need::kMadeBeforeStart; }
  void make() override {
    g_events.emplace_back("make");
    throw std::runtime_error("half-made");
  }
  void reset() override {}
  std::uint64_t finish(std::uint64_t result, Measurements& /*m*/) override { return result; }
  void release() noexcept override { g_events.emplace_back("release"); }
};

TEST(MechanismLife, ReleasesWhatItBeganToMakeAndNothingElse) {
  g_events.clear();
  RecordingMechanism after_start(ipc::Need::kMpiJob);
  { MechanismLife life(&after_start); }  // never made: nothing to release
  {
    MechanismLife life(&after_start);
    life.before_start({.workers = ipc::Workers::kRanks});  // an MPI job's: not yet
    EXPECT_TRUE(g_events.empty());
  }
  FailsToMake fails;
  EXPECT_THROW(
      {
        MechanismLife life(&fails);
        life.before_start({.workers = ipc::Workers::kThreads});
      },
      std::runtime_error);
  EXPECT_EQ(g_events, (std::vector<std::string>{"make", "release"}));
  MechanismLife none(nullptr);  // a workload without a mechanism: every step does nothing
  none.before_start({});
  none.reset();
  Measurements m;
  EXPECT_EQ(none.finish(7, m), 7u);
}

TEST(Runner, SkipsAPairWhoseMechanismCannotReachTheWorkers) {
  const auto threads = fake_entry({ScheduleKind::kStatic}, ipc::Workers::kThreads);
  RunPlan plan = plan_for(threads, {ScheduleKind::kStatic});
  plan.workloads = {std::make_shared<PiWithMechanism>(ipc::Need::kSeparateMemory)};
  const Runner runner(std::move(plan));
  EXPECT_TRUE(runner.configurations().empty());
  ASSERT_EQ(runner.notes().size(), 1u);
  EXPECT_NE(runner.notes()[0].find("skipping fake with ipc recording: it needs workers with "
                                   "separate memory"),
            std::string::npos)
      << runner.notes()[0];
}

// Threads inside ranks multiply only the hybrids' configurations; auto divides the CPUs among the
// ranks on the host; efficiency counts every thread.
TEST(Runner, ThreadsPerRankShapeOnlyTheHybrids) {
  const auto plain = fake_entry({ScheduleKind::kStatic}, ipc::Workers::kRanks);
  const auto hybrid = fake_entry({ScheduleKind::kStatic}, ipc::Workers::kRanksOfThreads);
  RunPlan plan = plan_for(plain, {ScheduleKind::kStatic});
  plan.backends = {&plain, &hybrid};
  plan.workers = {1, 2};
  plan.threads_per_rank = {0, 3};  // auto, 3
  plan.usable_cpus = 8;
  const Runner runner(std::move(plan));
  std::vector<std::pair<int, int>> hybrid_shapes;
  int plain_configurations = 0;
  for (const auto& c : runner.configurations()) {
    if (c.entry == &plain) {
      ++plain_configurations;
      EXPECT_EQ(c.threads_per_rank, 1);
    } else {
      hybrid_shapes.emplace_back(c.workers, c.threads_per_rank);
    }
  }
  EXPECT_EQ(plain_configurations, 2);
  EXPECT_EQ(hybrid_shapes, (std::vector<std::pair<int, int>>{{1, 8}, {1, 3}, {2, 4}, {2, 3}}));
  // 1 x 8, 1 x 3 (noted once per total), 2 x 4 and 2 x 3 outnumber the 2 hardware threads.
  EXPECT_NE(runner.notes()[0].find("at 1 ranks x 8 threads measures oversubscription"),
            std::string::npos)
      << runner.notes()[0];
}

// A mechanism that finds, once the workers run, that it cannot reach them: refused with one line,
// once, and no row; the run does not count it as a failure.
class UnreachableOnceMade final : public Mechanism {
 public:
  std::string name() const override { return "far"; }
  ipc::Need need() const override { return ipc::Need::kMadeBeforeStart; }
  void make() override { throw ipc::Unreachable("far: cannot reach these workers"); }
  void reset() override {}
  std::uint64_t finish(std::uint64_t result, Measurements& /*m*/) override { return result; }
  void release() noexcept override {}
};
class PiWithUnreachable final : public test_workloads::PiCount {
 public:
  PiWithUnreachable() : PiCount(1000) {}
  Mechanism* mechanism() const override { return &mechanism_; }

 private:
  mutable UnreachableOnceMade mechanism_;
};

TEST(Runner, AMechanismThatCannotReachRunningWorkersIsRefusedOnce) {
  const auto entry = fake_entry({ScheduleKind::kStatic});
  RunPlan plan = plan_for(entry, {ScheduleKind::kStatic});
  plan.workloads = {std::make_shared<PiWithUnreachable>()};
  plan.workers = {1, 2};
  Runner runner(std::move(plan));
  const Ran capture = run_captured(runner);
  EXPECT_EQ(capture.failures, 0);
  EXPECT_TRUE(capture.results.empty());
  const std::string line = "parbench: refused: far: cannot reach these workers\n";
  EXPECT_EQ(capture.warnings.find(line), capture.warnings.rfind(line)) << capture.warnings;
  EXPECT_NE(capture.warnings.find(line), std::string::npos) << capture.warnings;
}

// When no worker is needed (the pre-check decided), none is woken.
class SettledInTheOwner final : public test_workloads::PiCount {
 public:
  SettledInTheOwner() : PiCount(1000) {}
  std::optional<std::uint64_t> settle_before_split() const override { return 1000; }
};

TEST(Runner, AResultSettledBeforeTheSplitWakesNoWorker) {
  const auto entry = fake_entry({ScheduleKind::kStatic});
  RunPlan plan = plan_for(entry, {ScheduleKind::kStatic});
  plan.workloads = {std::make_shared<SettledInTheOwner>()};
  plan.warmup = 1;
  Runner runner(std::move(plan));
  const Ran capture = run_captured(runner);
  EXPECT_EQ(g_events, (std::vector<std::string>{"start", "stop"}));
  ASSERT_EQ(capture.results.size(), 1u);
  EXPECT_EQ(capture.results[0].first().result, 1000u);
  EXPECT_TRUE(capture.results[0].first().worker_reports.empty());
}

// Three tiers: an expected failure (a worker died) and a bug (a broken invariant) both give a
// failed row and the run goes on; the bug says it is one, and where.
class FailsOnRun final : public SecondWorkerIdle {
 public:
  explicit FailsOnRun(bool bug) : bug_(bug) {}
  RunOutput run() override {
    if (bug_) expect(false, "the partial results add up");
    throw WorkerFailure("worker 1 was killed by signal 9");
  }

 private:
  bool bug_;
};

TEST(Runner, AFailureAndABugAreFailedRowsAndTheBugSaysWhere) {
  for (const bool bug : {false, true}) {
    backends::BackendEntry entry = fake_entry({ScheduleKind::kStatic});
    entry.make = [bug] { return std::unique_ptr<Backend>(new FailsOnRun(bug)); };
    RunPlan plan = plan_for(entry, {ScheduleKind::kStatic});
    plan.workloads.push_back(std::make_shared<test_workloads::PiCount>(1000));
    Runner runner(std::move(plan));
    const Ran capture = run_captured(runner);
    EXPECT_EQ(capture.failures, 2);  // both configurations ran and failed
    ASSERT_EQ(capture.results.size(), 2u);
    const std::string& error = capture.results[0].error;
    if (bug) {
      EXPECT_EQ(error.rfind("internal error: the partial results add up (at runner_test.cpp:", 0),
                0u)
          << error;
    } else {
      EXPECT_EQ(error, "worker 1 was killed by signal 9");
    }
    EXPECT_EQ(capture.results[0].reps.size(), 1u);
    EXPECT_EQ(capture.results[0].reps[0].rep, 1);  // it failed in the first timed repetition
  }
}

// Repetitions are numbered in order and each is judged: a wrong result is an invalid row.
class WrongOnSecondRun final : public test_workloads::PiCount {
 public:
  WrongOnSecondRun() : PiCount(1000) {}
  std::uint64_t run_slice(std::uint64_t b, std::uint64_t e) const override {
    return ++runs_ == 2 ? 0 : e - b;
  }
  Verdict judge(std::uint64_t r) const override {
    return {static_cast<double>(r), r == 1000, r == 1000 ? "" : "not every item was counted"};
  }

 private:
  mutable int runs_ = 0;
};

TEST(Runner, NumbersRepetitionsInOrderAndJudgesEachOne) {
  const auto entry = fake_entry({ScheduleKind::kStatic});
  RunPlan plan = plan_for(entry, {ScheduleKind::kStatic});
  plan.workloads = {std::make_shared<WrongOnSecondRun>()};
  plan.repeat = 3;
  Runner runner(std::move(plan));
  const Ran capture = run_captured(runner);
  EXPECT_EQ(capture.failures, 1);
  ASSERT_EQ(capture.results.size(), 1u);
  const auto& reps = capture.results[0].reps;
  ASSERT_EQ(reps.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(reps[static_cast<std::size_t>(i)].rep, i + 1);
  EXPECT_TRUE(reps[0].valid);
  EXPECT_FALSE(reps[1].valid);
  EXPECT_EQ(reps[1].error, "not every item was counted");
  EXPECT_TRUE(reps[2].valid);
  EXPECT_FALSE(capture.results[0].valid);
  EXPECT_EQ(capture.results[0].wall.count, 2u);  // the median is over the valid ones
}

}  // namespace
