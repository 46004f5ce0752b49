#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <random>
#include <vector>

#include "kernels/fill.hpp"
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

// Values computed outside C++ (a Python restatement of the definition above, big integers, run
// once): they pin the stream and the inside test for every loop, at ranges far from 0 and at the
// top of the index space, where i + 1 is near 2^64.
TEST(PiKernel, PinnedCountsFromAnIndependentRestatement) {
  constexpr std::uint64_t kTop = ~std::uint64_t{0};
  struct Case {
    std::uint64_t seed, begin, end, hits;
  };
  const Case cases[] = {{1, 0, 1'000'000, 785'187},
                        {7, 1ULL << 40, (1ULL << 40) + 100'003, 78'573},
                        {(1ULL << 63) + 5, kTop - 50'000, kTop, 39'258},
                        {0, 0, 99'999, 78'491},
                        {kTop, 12'345, 12'352, 6}};
  for (const auto& c : cases) {
    EXPECT_EQ(pi_count_hits(c.seed, c.begin, c.end), c.hits) << c.seed << " " << c.begin;
    EXPECT_EQ(parbench::kernels::pi_count_hits_scalar(c.seed, c.begin, c.end), c.hits);
    EXPECT_EQ(parbench::kernels::pi_count_hits_plain(c.seed, c.begin, c.end), c.hits);
  }
  EXPECT_EQ(reference_hits(7, 1ULL << 40, (1ULL << 40) + 100'003), 78'573u);
}

// The vector loop (pi_vector_isa() names it), the portable scalar loop and the plain loop GCC
// vectorises give one count for the same (seed, range), whatever the range's length and alignment
// (every remainder of one iteration of the vector loop, 8 darts with AVX-512 and 10 with AVX2, and
// short ranges that never reach the vector loop).
TEST(PiKernel, VectorScalarAndPlainLoopsGiveTheSameCount) {
  constexpr std::uint64_t kTop = ~std::uint64_t{0};
  std::mt19937_64 rng(2026);
  for (int trial = 0; trial < 300; ++trial) {
    const std::uint64_t seed = rng();
    const std::uint64_t begin = trial % 3 == 0 ? kTop - 1 - rng() % 3000 : rng() % (1ULL << 50);
    const std::uint64_t length = trial < 100 ? static_cast<std::uint64_t>(trial) : rng() % 3000;
    const std::uint64_t end = std::max(begin, std::min(begin + length, kTop - 1));
    const std::uint64_t scalar = parbench::kernels::pi_count_hits_scalar(seed, begin, end);
    EXPECT_EQ(pi_count_hits(seed, begin, end), scalar)
        << parbench::kernels::pi_vector_isa() << " " << begin << ".." << end;
    EXPECT_EQ(parbench::kernels::pi_count_hits_plain(seed, begin, end), scalar);
    EXPECT_EQ(reference_hits(seed, begin, end), scalar);
  }
#if defined(__AVX2__)
  EXPECT_STRNE(parbench::kernels::pi_vector_isa(), "none");  // this build has a vector loop
#endif
}

// Workers' slices can be as short as one dart: random splits into pieces of 1 to 20 darts (most
// shorter than one iteration of the vector loop) add up to the whole range's count.
TEST(PiKernel, CountOfShortRandomPiecesAddsUpToTheWhole) {
  const std::uint64_t begin = 1'000'000'007, n = 100'003;
  const std::uint64_t whole = pi_count_hits(11, begin, begin + n);
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 5; ++trial) {
    std::uint64_t sum = 0;
    for (std::uint64_t b = begin; b < begin + n;) {
      const std::uint64_t e = std::min(begin + n, b + 1 + rng() % 20);
      sum += pi_count_hits(11, b, e);
      b = e;
    }
    EXPECT_EQ(sum, whole);
  }
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

TEST(PiKernel, EmptyRangeHasNoHits) {
  EXPECT_EQ(pi_count_hits(1, 5, 5), 0u);
  EXPECT_EQ(pi_count_hits(1, 9, 5), 0u);  // end before begin: nothing, as the plain loop did
  EXPECT_EQ(parbench::kernels::pi_count_hits_scalar(1, 5, 5), 0u);
}

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

// fill: an independent statement of the random array's definition. Element (r, c) is SplitMix64's
// output for the Weyl state origin_r + (c + 1) * gamma, origin_r = mix(mix(seed ^ 0x5DEECE66D) +
// r * gamma), its top 53 bits scaled by 2^-53.
namespace fill_reference {
std::uint64_t element_bits(std::uint64_t seed, std::uint64_t r, std::uint64_t c) {
  constexpr std::uint64_t gamma = 0x9E3779B97F4A7C15ULL;
  const std::uint64_t origin = mix(mix(seed ^ 0x5DEECE66DULL) + r * gamma);
  const double d = std::ldexp(static_cast<double>(mix(origin + (c + 1) * gamma) >> 11), -53);
  std::uint64_t bits = 0;
  std::memcpy(&bits, &d, sizeof bits);
  return bits;
}
}  // namespace fill_reference

TEST(FillKernel, RandomRowsFollowTheDefinitionAndStayInTheUnitInterval) {
  for (const std::uint64_t seed : {0ULL, 2026ULL, ~0ULL}) {
    for (const std::uint64_t r : {0ULL, 1ULL, 977ULL, 1ULL << 40}) {
      std::vector<std::uint64_t> row(257);
      parbench::kernels::fill_row_random(row, seed, r);
      for (std::uint64_t c = 0; c < row.size(); ++c) {
        ASSERT_EQ(row[c], fill_reference::element_bits(seed, r, c)) << seed << " " << r << " " << c;
        ASSERT_EQ(row[c], parbench::kernels::random_element(seed, r, c));
        double d = 0;
        std::memcpy(&d, &row[c], sizeof d);
        ASSERT_GE(d, 0.0);
        ASSERT_LT(d, 1.0);
      }
    }
  }
}

TEST(FillKernel, EveryRowIsItsOwnStream) {
  std::vector<std::uint64_t> a(64);
  std::vector<std::uint64_t> b(64);
  parbench::kernels::fill_row_random(a, 7, 10);
  parbench::kernels::fill_row_random(b, 7, 11);
  EXPECT_NE(a, b);
  parbench::kernels::fill_row_random(b, 8, 10);
  EXPECT_NE(a, b);  // and every seed its own array
}

TEST(FillKernel, IdsFillTheWholeRowAndRowHoldsSaysSo) {
  std::vector<std::uint64_t> row(1000, 42);
  EXPECT_TRUE(parbench::kernels::row_holds(row, 42));
  parbench::kernels::fill_row_with_id(row, 4242);
  EXPECT_TRUE(parbench::kernels::row_holds(row, 4242));
  row[999] = 42;
  EXPECT_FALSE(parbench::kernels::row_holds(row, 4242));  // the last word counts too
}

TEST(FillKernel, RowHashSeesOrderAndEveryWord) {
  std::vector<std::uint64_t> row{1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::uint64_t h = parbench::kernels::row_hash(row);
  std::swap(row[2], row[7]);
  EXPECT_NE(parbench::kernels::row_hash(row), h);
  std::swap(row[2], row[7]);
  EXPECT_EQ(parbench::kernels::row_hash(row), h);
  row[8] ^= 1ULL << 63;
  EXPECT_NE(parbench::kernels::row_hash(row), h);
}
