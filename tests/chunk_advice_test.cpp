#include "harness/cli/chunk_advice.hpp"

#include <gtest/gtest.h>

#include "harness/records/errors.hpp"

namespace {

using parbench::UsageError;
using parbench::cli::parse_for_ranks;
using parbench::cli::smallest_chunk;

// docs/clusters.md's table: primes C (t = 0.59 us, 10^6 items) and pi (t = 0.28 ns, 10^10).
// The smallest c with c*t/(R*s) * K/(K+R-1) >= 0.9, K = N/c: 0.9 R s N / (t N - 0.9 R s ).
TEST(SmallestChunk, ReachesNineTenthsWithRankZerosLastAnswersCounted) {
  // 64 ranks of TCP (s = 8.6 us): 495.36 / (0.59 - 0.0312077) = 886.5
  auto a = smallest_chunk(64, 8.6e-6, 5.9e-7, 1'000'000);
  EXPECT_TRUE(a.possible);
  EXPECT_EQ(a.chunk, 887u);
  EXPECT_NEAR(a.chunks_per_rank, 1128.0 / 64, 1e-12);  // ceil(10^6 / 887) = 1128 chunks
  EXPECT_TRUE(a.dynamic_holds);
  // pi on 512 ranks of the fat tree: 2995200 / (2.8 - 0.1530605) = 1131568.5
  a = smallest_chunk(512, 0.65e-6, 2.8e-10, 10'000'000'000);
  EXPECT_EQ(a.chunk, 1131569u);
  EXPECT_TRUE(a.dynamic_holds);  // 8838 chunks, 17.3 per rank
}

TEST(SmallestChunk, NoneOrFewChunksPerRankSayStaticOrCyclic) {
  // primes C on 512 ranks of TCP: rank 0's 511 last answers (0.9 x 512 x 8.6 us each) outweigh
  // the 0.59 s of work.
  auto a = smallest_chunk(512, 8.6e-6, 5.9e-7, 1'000'000);
  EXPECT_FALSE(a.possible);
  EXPECT_FALSE(a.dynamic_holds);
  // ... and on 512 ranks of the fat tree: chunk 686, 1458 chunks, 2.8 per rank.
  a = smallest_chunk(512, 0.65e-6, 5.9e-7, 1'000'000);
  EXPECT_TRUE(a.possible);
  EXPECT_EQ(a.chunk, 686u);
  EXPECT_NEAR(a.chunks_per_rank, 1458.0 / 512, 1e-12);
  EXPECT_FALSE(a.dynamic_holds);
  // A bound over the items: no chunk either.
  EXPECT_FALSE(smallest_chunk(2, 1.0, 1e-9, 1000).possible);
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
