#include <gtest/gtest.h>

#include "harness/backends/partition.hpp"

namespace {

using parbench::static_block;

TEST(StaticBlock, CoversTheRangeExactlyOnceWithSizesDifferingByAtMostOne) {
  for (std::uint64_t size : {0ULL, 1ULL, 7ULL, 1000007ULL, 1ULL << 40}) {
    for (std::uint64_t parts = 1; parts <= 9; ++parts) {
      std::uint64_t expected_begin = 0;
      std::uint64_t smallest = UINT64_MAX;
      std::uint64_t largest = 0;
      for (std::uint64_t i = 0; i < parts; ++i) {
        const auto slice = static_block(size, parts, i);
        EXPECT_EQ(slice.begin, expected_begin);
        expected_begin = slice.end;
        smallest = std::min(smallest, slice.size());
        largest = std::max(largest, slice.size());
      }
      EXPECT_EQ(expected_begin, size);
      EXPECT_LE(largest - smallest, 1u);
    }
  }
}

TEST(StaticBlock, MoreWorkersThanItemsLeavesSomeEmpty) {
  EXPECT_EQ(static_block(2, 4, 0).size(), 1u);
  EXPECT_EQ(static_block(2, 4, 1).size(), 1u);
  EXPECT_EQ(static_block(2, 4, 3).size(), 0u);
}

}  // namespace
