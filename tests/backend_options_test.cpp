// The backends' own options (harness/backends/backend_options.hpp): one group per family, each
// backend handed its own group's settings, and the queue's checks made where its options live.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>  // the whole of CLI11: an App of its own needs its formatter and config
#include <algorithm>

#include "harness/backends/mpirun_placement.hpp"
#include "harness/backends/queue_settings.hpp"
#include "harness/backends/registry.hpp"
#include "harness/records/errors.hpp"

namespace {

using namespace parbench;
using backends::OptionGroups;

const backends::BackendOptions* group_of(const OptionGroups& groups, const std::string& name) {
  const auto* entry = backends::find_backend(name);
  EXPECT_NE(entry, nullptr) << name;
  return entry != nullptr ? groups.of(*entry) : nullptr;
}

// Parses `args` as `run` would, then lets each group check them.
void parse(OptionGroups& groups, CLI::App& app, std::vector<std::string> args,
           const std::vector<std::string>& named) {
  groups.add_to(app);
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last first
  app.parse(args);
  groups.after_parse(app, named);
}

TEST(BackendOptions, TheMpiFamilySharesOneGroupAndTheOthersHaveNone) {
  OptionGroups groups;
  const auto* mpi = group_of(groups, "mpi");
  ASSERT_NE(mpi, nullptr);  // in every build: a build without MPI still takes --map-by
  for (const char* name : {"mpi+threads", "mpi+openmp", "mpi+tbb"})
    EXPECT_EQ(group_of(groups, name), mpi) << name;
  EXPECT_NE(group_of(groups, "redis-queue"), nullptr);
  EXPECT_NE(group_of(groups, "redis-queue"), mpi);
  for (const char* name : {"serial", "threads", "processes", "openmp"})
    EXPECT_EQ(group_of(groups, name), nullptr) << name;
}

TEST(BackendOptions, EachBackendGetsWhatItsOwnOptionsSet) {
  OptionGroups groups;
  CLI::App app;
  parse(groups, app, {"--map-by", "core", "--bind-to", "none", "--heartbeat", "500"}, {});
  const auto placement =
      backends::settings_in<backends::MpirunPlacement>(group_of(groups, "mpi+threads"));
  EXPECT_EQ(placement.map_by, "core");
  EXPECT_EQ(placement.bind_to, "none");
  const auto queue =
      backends::settings_in<backends::QueueSettings>(group_of(groups, "redis-queue"));
  EXPECT_EQ(queue.heartbeat_ms, 500);
  EXPECT_EQ(queue.join_timeout_s, 600.0);  // the default, where not given
  // No group (a test's own entry): the defaults.
  EXPECT_TRUE(backends::settings_in<backends::MpirunPlacement>(nullptr).map_by.empty());
}

TEST(BackendOptions, TheQueueRefusesItsOptionsWithoutItsBackend) {
  {
    OptionGroups groups;
    CLI::App app;
    EXPECT_THROW(parse(groups, app, {"--queue", "q"}, {"threads"}), UsageError);
  }
  {
    OptionGroups groups;
    CLI::App app;
    EXPECT_THROW(parse(groups, app, {"--external-workers"}, {"redis-queue"}), UsageError);
  }
  OptionGroups groups;
  CLI::App app;
  EXPECT_NO_THROW(parse(groups, app, {"--queue", "q"}, {"redis-queue"}));
}

}  // namespace
