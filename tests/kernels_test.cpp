#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "kernels/monte_carlo_pi.hpp"
#include "kernels/think.hpp"

namespace {

using parbench::kernels::pi_count_hits;

// An independent scalar statement of the kernel's definition: sample i's bits are SplitMix64's
// output for the Weyl state origin + (i + 1) * gamma; inside means x^2 + y^2 < 2^64, checked in 128
// bits.
__extension__ typedef unsigned __int128 u128;

std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
std::uint64_t reference_hits(std::uint64_t seed, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t origin = mix(seed ^ 0x5DEECE66DULL);
  std::uint64_t hits = 0;
  for (std::uint64_t i = begin; i < end; ++i) {
    const std::uint64_t bits = mix(origin + (i + 1) * 0x9E3779B97F4A7C15ULL);
    const u128 x = bits >> 32;
    const u128 y = bits & 0xFFFFFFFFULL;
    hits += (x * x + y * y < (static_cast<u128>(1) << 64)) ? 1 : 0;
  }
  return hits;
}

TEST(PiKernel, MatchesTheScalarDefinitionExactly) {
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 20; ++trial) {
    const std::uint64_t begin = rng() % (1ULL << 40);
    const std::uint64_t end = begin + rng() % 5000;
    const std::uint64_t seed = rng();
    EXPECT_EQ(pi_count_hits(seed, begin, end), reference_hits(seed, begin, end))
        << begin << ".." << end;
  }
}

TEST(PiKernel, CountDoesNotDependOnHowTheRangeIsSplit) {
  const std::uint64_t n = 1'000'003;
  const std::uint64_t whole = pi_count_hits(1, 0, n);
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 10; ++trial) {
    std::uint64_t sum = 0;
    for (std::uint64_t begin = 0; begin < n;) {
      const std::uint64_t end = std::min(n, begin + 1 + rng() % 100'000);
      sum += pi_count_hits(1, begin, end);
      begin = end;
    }
    EXPECT_EQ(sum, whole);
  }
}

TEST(PiKernel, CountIsTheSameOnEveryCompilerAndFlagSet) {
  // Integer arithmetic only: this value must never change. If it does, the generator changed and
  // every stored result is no longer comparable.
  EXPECT_EQ(pi_count_hits(1, 0, 1'000'000), reference_hits(1, 0, 1'000'000));
  EXPECT_EQ(pi_count_hits(1, 0, 1'000'000), 785'187u);
}

TEST(PiKernel, DifferentSeedsGiveDifferentStreams) {
  EXPECT_NE(pi_count_hits(1, 0, 1'000'000), pi_count_hits(2, 0, 1'000'000));
  EXPECT_NE(pi_count_hits(0, 0, 1'000'000), pi_count_hits(1, 0, 1'000'000));
}

TEST(PiKernel, EstimateIsWithinSixSigma) {
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const std::uint64_t n = 2'000'000;
    const double estimate = parbench::kernels::pi_estimate(pi_count_hits(seed, 0, n), n);
    EXPECT_LE(std::abs(estimate - std::numbers::pi), 6 * parbench::kernels::pi_sigma(n))
        << "seed " << seed;
  }
}

TEST(PiKernel, EmptyRangeHasNoHits) { EXPECT_EQ(pi_count_hits(1, 5, 5), 0u); }

}  // namespace

namespace {

// think restated as the LCG's jump ahead (F. Brown, "Random number generation with arbitrary
// strides", 1994): n steps of x -> a x + c compose into x -> A x + C, found by squaring in log n.
std::uint64_t jump_ahead(std::uint64_t x, std::uint64_t n) {
  std::uint64_t a = 6364136223846793005ULL, c = 1442695040888963407ULL;
  std::uint64_t big_a = 1, big_c = 0;
  for (; n != 0; n >>= 1) {
    if ((n & 1) != 0) {
      big_a *= a;
      big_c = big_c * a + c;
    }
    c *= a + 1;
    a *= a;
  }
  return big_a * x + big_c;
}

TEST(ThinkKernel, IsTheLinearCongruentialChainOfItsLength) {
  std::mt19937_64 rng(7);
  EXPECT_EQ(parbench::kernels::think(12345, 0), 12345u);
  for (int trial = 0; trial < 50; ++trial) {
    const std::uint64_t x = rng();
    const std::uint64_t n = rng() % 100000;
    EXPECT_EQ(parbench::kernels::think(x, n), jump_ahead(x, n)) << "x=" << x << " n=" << n;
  }
}

}  // namespace
