// Every registered shared block, one parametrised test: what the fill kernel's first-touch modes
// rely on (a discarded block reads 0 everywhere, populate keeps what is there) and what sharing
// means for each variant: rows a forked worker writes reach the owner's array, in place where the
// variant shares (ipc/reach.hpp), through the pipe where it does not (copy, which also counts the
// bytes it copied).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "ipc/shared_block.hpp"

namespace parbench::ipc {
void PrintTo(const BlockVariant& variant, std::ostream* out) { *out << variant.name; }
}  // namespace parbench::ipc

namespace {

using parbench::ipc::BlockSettings;
using parbench::ipc::BlockVariant;
using parbench::ipc::SharedBlock;
using parbench::ipc::Workers;

constexpr std::uint64_t kBytes = 1 << 20;
constexpr std::uint64_t kRow = 1024;  // words per row

class EveryBlock : public testing::TestWithParam<BlockVariant> {
 protected:
  void SetUp() override {
    if (parbench::ipc::made_after_start(GetParam().need))
      GTEST_SKIP() << GetParam().name << " is made by the ranks of an MPI job: tests/fill.sh mpi";
  }
  std::unique_ptr<SharedBlock> make() {
    const BlockSettings settings{kBytes, ""};
    const auto a = GetParam().availability(settings);
    if (!a.runnable) return nullptr;
    return GetParam().create(settings);
  }
};

TEST_P(EveryBlock, DiscardGivesZeroesAndPopulateKeepsThem) {
  auto block = make();
  if (!block) GTEST_SKIP() << GetParam().availability({kBytes, ""}).detail;
  auto words = block->words();
  ASSERT_EQ(words.size(), kBytes / 8);
  std::fill(words.begin(), words.end(), 42);
  block->discard();
  EXPECT_TRUE(std::all_of(words.begin(), words.end(), [](auto w) { return w == 0; }));
  block->populate();
  EXPECT_TRUE(std::all_of(words.begin(), words.end(), [](auto w) { return w == 0; }));
  words[7] = 9;
  block->populate();
  EXPECT_EQ(words[7], 9U) << "populate must not change what a page holds";
}

TEST_P(EveryBlock, RowsAForkedWorkerWritesReachTheOwner) {
  if (!parbench::ipc::reaches(GetParam().need, {.workers = Workers::kForkedProcesses}))
    GTEST_SKIP() << GetParam().name << " does not reach forked workers";
  auto block = make();
  if (!block) GTEST_SKIP() << GetParam().availability({kBytes, ""}).detail;
  auto words = block->words();
  std::fill(words.begin(), words.end(), 42);
  block->before_repetition();
  const pid_t child = fork();
  if (child == 0) {
    for (std::uint64_t first = 0; first < words.size(); first += kRow) {
      std::uint64_t* row = block->for_writing(first, kRow);
      if (row[0] != 42) _exit(3);  // the worker sees the default the owner wrote
      std::fill(row, row + kRow, first / kRow + 1);
      block->written(first, kRow);
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  const std::uint64_t copied = block->after_repetition();
  for (std::uint64_t i = 0; i < words.size(); ++i) ASSERT_EQ(words[i], i / kRow + 1) << i;
  if (GetParam().copies(1) > 1) {
    EXPECT_EQ(copied, 2 * kBytes) << "a whole copy to the worker and every row back";
  } else {
    EXPECT_EQ(copied, 0U) << "a shared block copies nothing";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Registered, EveryBlock,
    testing::ValuesIn(parbench::ipc::registered<parbench::ipc::BlockVariant>()),
    [](const testing::TestParamInfo<BlockVariant>& param) {
      std::string name = param.param.name;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

}  // namespace
