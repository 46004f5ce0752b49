#include "harness/cli/chunk_advice.hpp"

#include <gtest/gtest.h>

#include "harness/records/errors.hpp"

namespace {

using parbench::UsageError;
using parbench::cli::parse_for_ranks;
using parbench::cli::smallest_chunk;

// docs/clusters.md's table: primes C (t = 0.59 us, 10^6 items) and pi (t = 0.28 ns).
TEST(SmallestChunk, IsTheWholeNumberAboveRTimesSOverNineTenthsT) {
  // 64 ranks of TCP (s = 8.6 us): 64 * 8.6e-6 / (0.9 * 5.9e-7) = 1036.5
  auto a = smallest_chunk(64, 8.6e-6, 5.9e-7, 1'000'000);
  EXPECT_EQ(a.chunk, 1037u);
  EXPECT_NEAR(a.chunks_per_rank, 965.0 / 64, 1e-12);  // ceil(10^6 / 1037) = 965 chunks
  EXPECT_TRUE(a.dynamic_holds);
  // pi on 512 ranks of the fat tree: 512 * 0.65e-6 / (0.9 * 2.8e-10) = 1320634.9
  a = smallest_chunk(512, 0.65e-6, 2.8e-10, 10'000'000'000);
  EXPECT_EQ(a.chunk, 1320635u);
  EXPECT_TRUE(a.dynamic_holds);  // 7572 chunks, 14.8 per rank
}

TEST(SmallestChunk, FewChunksPerRankOrTooFewItemsSayStaticOrCyclic) {
  // primes C on 512 ranks of TCP: chunk 8292 leaves 121 chunks, 0.24 per rank.
  auto a = smallest_chunk(512, 8.6e-6, 5.9e-7, 1'000'000);
  EXPECT_EQ(a.chunk, 8293u);
  EXPECT_NEAR(a.chunks_per_rank, 121.0 / 512, 1e-12);
  EXPECT_FALSE(a.dynamic_holds);
  // No chunk of 1000 items is enough: all of them, one chunk.
  a = smallest_chunk(1024, 8.6e-6, 1e-9, 1000);
  EXPECT_EQ(a.chunk, 1000u);
  EXPECT_FALSE(a.dynamic_holds);
}

TEST(ForRanks, TakesRanksAndAnOptionalServiceTimeInMicroseconds) {
  auto f = parse_for_ranks("512");
  EXPECT_EQ(f.ranks, 512);
  EXPECT_FALSE(f.service_s.has_value());
  f = parse_for_ranks("64:2.5");
  EXPECT_EQ(f.ranks, 64);
  ASSERT_TRUE(f.service_s.has_value());
  EXPECT_DOUBLE_EQ(*f.service_s, 2.5e-6);
  for (const char* bad :
       {"", "0", "-4", "x", "64:", "64:0", "64:-1", "64:nan", "64:inf", "64:2us", ":3", "1e9"}) {
    EXPECT_THROW(parse_for_ranks(bad), UsageError) << bad;
  }
}

}  // namespace
