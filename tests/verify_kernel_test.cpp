// smallest_factor_in, restated independently: the smallest divisor of n among first, first + 2,
// ..., last is found by plain division one candidate at a time; the stop predicate is asked every
// check_every candidates with the next candidate, in both check styles, and stopping reports how
// far the search got.
#include <gtest/gtest.h>

#include <vector>

#include "kernels/verify.hpp"

namespace {

using parbench::kernels::CheckStyle;
using parbench::kernels::smallest_factor_in;

std::uint64_t first_divisor(std::uint64_t n, std::uint64_t first, std::uint64_t last) {
  if (first == 2) return n % 2 == 0 ? 2 : 0;
  for (std::uint64_t d = first; d <= last; d += 2) {
    if (n % d == 0) return d;
  }
  return 0;
}

const auto kNever = [](std::uint64_t) { return false; };

TEST(SmallestFactorIn, FindsTheSmallestDivisorInTheRangeInBothStyles) {
  const std::uint64_t numbers[] = {
      9, 15, 25, 97, 1001, 1048573ULL * 1048573ULL, 600851475143ULL, 1000003};
  for (const auto style : {CheckStyle::kCounter, CheckStyle::kBlock}) {
    for (const std::uint64_t n : numbers) {
      for (const std::uint64_t first : std::vector<std::uint64_t>{3, 5, 11, 71}) {
        for (const std::uint64_t last :
             std::vector<std::uint64_t>{first, first + 2, 101, 1001, 1048575}) {
          for (const std::uint64_t k : std::vector<std::uint64_t>{1, 3, 1000}) {
            const auto found = smallest_factor_in(n, first, last, k, style, kNever);
            const std::uint64_t expected = first <= last ? first_divisor(n, first, last) : 0;
            ASSERT_EQ(found.factor, expected) << n << " in [" << first << ", " << last << "]";
            EXPECT_FALSE(found.stopped);
            const std::uint64_t candidates = first <= last ? (last - first) / 2 + 1 : 0;
            EXPECT_EQ(found.tested, expected == 0 ? candidates : (expected - first) / 2 + 1);
          }
        }
      }
    }
  }
}

TEST(SmallestFactorIn, TwoIsItsOwnRange) {
  EXPECT_EQ(smallest_factor_in(10, 2, 2, 1, CheckStyle::kCounter, kNever).factor, 2u);
  EXPECT_EQ(smallest_factor_in(15, 2, 2, 1, CheckStyle::kBlock, kNever).factor, 0u);
  EXPECT_EQ(smallest_factor_in(15, 2, 2, 1, CheckStyle::kBlock, kNever).tested, 1u);
}

TEST(SmallestFactorIn, AsksEveryKCandidatesWithTheNextOne) {
  // 1000003 is prime: no divisor among the 500 candidates 3..1001.
  for (const auto style : {CheckStyle::kCounter, CheckStyle::kBlock}) {
    std::vector<std::uint64_t> asked;
    const auto found = smallest_factor_in(1000003, 3, 1001, 100, style, [&](std::uint64_t next) {
      asked.push_back(next);
      return false;
    });
    EXPECT_EQ(found.tested, 500u);
    // After 100, 200, 300, 400 candidates; the block style does not ask after the last block, the
    // counter style does when the count falls on the end.
    const std::vector<std::uint64_t> expected{203, 403, 603, 803};
    std::vector<std::uint64_t> first_four(asked.begin(), asked.begin() + 4);
    EXPECT_EQ(first_four, expected);
    EXPECT_EQ(found.checks, asked.size());
  }
}

TEST(SmallestFactorIn, StopsWhenTheSearchIsToldToAndSaysHowFarItGot) {
  for (const auto style : {CheckStyle::kCounter, CheckStyle::kBlock}) {
    const auto found = smallest_factor_in(1000003, 3, 1001, 50, style,
                                          [](std::uint64_t next) { return next > 300; });
    EXPECT_TRUE(found.stopped);
    EXPECT_EQ(found.factor, 0u);
    EXPECT_EQ(found.tested, 150u);  // asked with 103, 203, then 303: stop
    EXPECT_EQ(found.checks, 3u);
  }
}

}  // namespace
