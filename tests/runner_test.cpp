// The runner plans before it runs: pairs a backend cannot run are noted (so that a plan with
// nothing left is bad input before any file exists), and a repetition in which a worker did no
// work is recorded as such and warned about.
#include <gtest/gtest.h>

#include "harness/runner.hpp"
#include "test_workloads.hpp"

namespace {

using namespace parbench;

// Two workers, the second of which never gets an item (TBB's spare arena slots on a busy machine).
class SecondWorkerIdle final : public Backend {
 public:
  void start(const Workload& work, int /*workers*/, const Schedule& /*schedule*/) override {
    work_ = &work;
  }
  RunOutput run() override {
    RunOutput out;
    out.result = work_->run_slice(0, work_->size());
    out.workers = {{0.01, work_->size()}, {0.0, 0}};
    return out;
  }
  void stop() noexcept override {}

 private:
  const Workload* work_ = nullptr;
};

backends::BackendEntry fake_entry(std::vector<ScheduleKind> schedules) {
  return {.name = "fake",
          .summary = "test double",
          .make = [] { return std::unique_ptr<Backend>(new SecondWorkerIdle); },
          .availability = backends::always_available,
          .model = {.workers = ipc::Workers::kThreads},
          .schedules = std::move(schedules)};
}

class Capture final : public Reporter {
 public:
  void begin(const RunContext& /*context*/) override {}
  void report(const ConfigResult& result) override { results.push_back(result); }
  std::vector<ConfigResult> results;
};

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
  EXPECT_NE(runner.notes()[0].find("3 workers outnumber the 2 hardware threads"),
            std::string::npos);
}

TEST(Runner, AWorkerThatDidNoWorkIsRecordedAndWarnedAbout) {
  const auto entry = fake_entry({ScheduleKind::kStatic});
  Runner runner(plan_for(entry, {ScheduleKind::kStatic}));
  Capture capture;
  testing::internal::CaptureStderr();
  const int failures = runner.run(RunContext{}, {&capture});
  const std::string warnings = testing::internal::GetCapturedStderr();
  EXPECT_EQ(failures, 0);
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
  bool must_match_serial() const override { return exact_; }

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
    Capture capture;
    testing::internal::CaptureStderr();
    const int failures = runner.run(RunContext{}, {&capture});
    testing::internal::GetCapturedStderr();
    ASSERT_EQ(capture.results.size(), 1u);
    EXPECT_EQ(failures, exact ? 1 : 0);
    EXPECT_EQ(capture.results[0].valid, !exact);
    if (exact) {
      EXPECT_NE(capture.results[0].error.find("a warm-up run computed"), std::string::npos);
    }
  }
}

}  // namespace
