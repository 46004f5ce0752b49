// The segmented mod-30 sieve (kernels/primes_sieve.cpp) against an independent restatement: a plain
// sieve of Eratosthenes over every number below a bound, one bool each, and its prefix counts.
// Slices start and end at every residue mod 30, cross segment and block boundaries, are tiny or
// empty, start at 0, 1, 2; and the sieve runs with other tunings (tiny segments, no pre-sieving,
// every prime in buckets) so that each of its paths meets the same counts.
#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "kernels/primes.hpp"
#include "kernels/primes_sieve_detail.hpp"

namespace {

using namespace parbench::kernels;
namespace sd = parbench::kernels::sieve_detail;

// The primes below n, by the textbook sieve: one flag per number, and the count below every
// multiple of 1024.
class Reference {
 public:
  explicit Reference(std::uint64_t bound) : prime_(bound, true) {
    for (std::uint64_t n = 0; n < std::min<std::uint64_t>(bound, 2); ++n) prime_[n] = false;
    for (std::uint64_t n = 2; n * n < bound; ++n)
      if (prime_[n])
        for (std::uint64_t m = n * n; m < bound; m += n) prime_[m] = false;
    below_.push_back(0);
    for (std::uint64_t n = 0; n < bound; n += 1024) {
      std::uint64_t c = 0;
      for (std::uint64_t k = n; k < std::min(bound, n + 1024); ++k) c += prime_[k] ? 1 : 0;
      below_.push_back(below_.back() + c);
    }
  }
  std::uint64_t below(std::uint64_t n) const {
    std::uint64_t c = below_[n / 1024];
    for (std::uint64_t k = n / 1024 * 1024; k < n; ++k) c += prime_[k] ? 1 : 0;
    return c;
  }
  std::uint64_t count(std::uint64_t lo, std::uint64_t hi) const {
    return hi <= lo ? 0 : below(hi) - below(lo);
  }
  std::uint64_t bound() const { return prime_.size(); }

 private:
  std::vector<bool> prime_;
  std::vector<std::uint64_t> below_;
};

// Up to past three default segments (30 numbers a byte).
const Reference& reference() {
  static const Reference r(3 * 30 * sd::kDefaultTuning.segment_bytes + 100'000);
  return r;
}

// Tunings that take other paths: the default; tiny segments and blocks, so that slices cross many
// boundaries and most primes go to buckets; no pre-sieving; every prime in buckets; every prime a
// "small" one; small and medium primes crossing off whole turns past blocks and segments (19 .. 63,
// 64 .. 1023), and medium ones above the segment that stop at its end (1024 .. 4096).
std::vector<sd::Tuning> tunings() {
  return {
      sd::kDefaultTuning,
      sd::Tuning{64, 16, 20, 1, 15},
      sd::Tuning{240, 48, 200, 2, 0},
      sd::Tuning{1000, 1000, 0, 0, 3},
      sd::Tuning{4096, 512, 1u << 31, 1, 1},
      sd::Tuning{8, 8, 0, 0, 15},
      sd::Tuning{1024, 256, 64, 4, 1},
  };
}

TEST(PrimesSieve, EveryTinySliceNearZero) {
  const auto primes = sieving_primes(1000);
  for (std::uint64_t lo = 0; lo <= 200; ++lo) {
    for (std::uint64_t hi = lo; hi <= 260; ++hi) {
      ASSERT_EQ(count_primes_sieve(lo, hi, primes), reference().count(lo, hi)) << lo << ' ' << hi;
    }
  }
  EXPECT_EQ(count_primes_sieve(0, 0), 0u);
  EXPECT_EQ(count_primes_sieve(0, 1), 0u);
  EXPECT_EQ(count_primes_sieve(0, 2), 0u);
  EXPECT_EQ(count_primes_sieve(0, 3), 1u);
  EXPECT_EQ(count_primes_sieve(1, 3), 1u);
  EXPECT_EQ(count_primes_sieve(2, 3), 1u);
  EXPECT_EQ(count_primes_sieve(3, 2), 0u);
}

TEST(PrimesSieve, SlicesAtEveryResidueMod30UnderEveryTuning) {
  const std::uint64_t bound = 4'000'000;
  const auto primes = sieving_primes(bound);
  for (const sd::Tuning& t : tunings()) {
    for (const std::uint64_t base : {0ULL, 30ULL, 27'000ULL, 1'234'560ULL, 3'999'000ULL - 60}) {
      for (std::uint64_t r = 0; r < 30; ++r) {
        for (const std::uint64_t len : {1ULL, 29ULL, 30ULL, 31ULL, 241ULL, 9'001ULL}) {
          const std::uint64_t lo = base + r;
          const std::uint64_t hi = std::min(bound, lo + len + r);
          ASSERT_EQ(sd::count_primes(lo, hi, primes, t), reference().count(lo, hi))
              << lo << ' ' << hi << " segment " << t.segment_bytes;
        }
      }
    }
  }
}

TEST(PrimesSieve, RandomSlicesUnderEveryTuning) {
  std::mt19937_64 rng(23);
  const std::uint64_t bound = 4'000'000;
  const auto primes = sieving_primes(bound);
  for (const sd::Tuning& t : tunings()) {
    for (int i = 0; i < 300; ++i) {
      std::uint64_t lo = rng() % bound;
      std::uint64_t hi = rng() % bound;
      if (i % 3 == 0) hi = std::min(bound, lo + rng() % 5000);  // short ones too
      if (hi < lo) std::swap(lo, hi);
      ASSERT_EQ(sd::count_primes(lo, hi, primes, t), reference().count(lo, hi))
          << lo << ' ' << hi << " segment " << t.segment_bytes;
    }
    // The whole range, and in slices that add up.
    EXPECT_EQ(sd::count_primes(0, bound, primes, t), reference().count(0, bound));
  }
}

TEST(PrimesSieve, SlicesAddUpAcrossSegmentBoundaries) {
  // Pieces whose ends fall just before, at and just after the default segment's boundaries.
  const std::uint64_t segment_numbers = 30 * sd::kDefaultTuning.segment_bytes;
  const std::uint64_t hi = 3 * segment_numbers + 12'345;
  const auto primes = sieving_primes(hi);
  std::uint64_t total = 0;
  std::uint64_t lo = 0;
  for (const std::uint64_t end :
       {segment_numbers - 1, segment_numbers, segment_numbers + 1, 2 * segment_numbers + 29,
        2 * segment_numbers + 30, 3 * segment_numbers - 7, hi}) {
    const std::uint64_t part = count_primes_sieve(lo, end, primes);
    EXPECT_EQ(part, reference().count(lo, end)) << lo << ' ' << end;
    total += part;
    lo = end;
  }
  EXPECT_EQ(total, reference().count(0, hi));
  EXPECT_EQ(count_primes_sieve(0, hi, primes), reference().count(0, hi));
}

TEST(PrimesSieve, SliceEdgesNearTwoTo64) {
  // Past what a test can sieve for real (the primes up to 2^32): with only the primes below 1000,
  // the sieve counts the numbers with no factor below 1000, which a direct check restates. What is
  // tested is the slice's first and last bytes, where 30 x byte + 29 passes 2^64.
  const auto primes = sieving_primes(1'000'000);
  const std::uint64_t top = ~0ULL;
  const auto rough = [&](std::uint64_t n) {
    for (const std::uint64_t p : {2ULL, 3ULL, 5ULL})
      if (n % p == 0) return false;
    for (const std::uint64_t p : primes)
      if (n % p == 0) return false;
    return true;
  };
  for (const std::uint64_t lo : {top - 100, top - 31, top - 30, top - 15, top - 1}) {
    for (std::uint64_t hi = lo; hi <= top && hi - lo <= 100; ++hi) {
      std::uint64_t expected = 0;
      for (std::uint64_t n = lo; n < hi; ++n) expected += rough(n) ? 1 : 0;
      ASSERT_EQ(count_primes_sieve(lo, hi, primes), expected) << lo << ' ' << hi;
      if (hi == top) break;
    }
  }
}

TEST(PrimesSieve, KnownPowersOfTen) {
  const std::uint64_t known[] = {0,     4,      25,      168,       1'229,
                                 9'592, 78'498, 664'579, 5'761'455, 50'847'534};
  std::uint64_t power = 1;
  for (const std::uint64_t pi : known) {
    EXPECT_EQ(count_primes_sieve(0, power + 1), pi) << power;  // 10^k itself is not prime
    power *= 10;
  }
}

TEST(PrimesSieve, LargeNumbersAgreeWithMillerRabin) {
  // Sieving primes up to 2^25: most exceed the segment and go through the buckets.
  const std::uint64_t top = 1ULL << 50;
  const auto primes = sieving_primes(top);
  std::mt19937_64 rng(1);
  for (const std::uint64_t lo : std::vector<std::uint64_t>{
           1'000'000'000'000ULL, 999'999'999'989ULL, 1'000'000'000'000'000ULL, top - 100'000,
           (1ULL << 40) + 7, rng() % top, rng() % top}) {
    for (const std::uint64_t len : {1ULL, 30ULL, 7'777ULL, 20'000ULL}) {
      const std::uint64_t hi = std::min(top, lo + len);
      EXPECT_EQ(count_primes_sieve(lo, hi, primes), count_primes_mr(lo, hi)) << lo << ' ' << hi;
    }
  }
  // A slice of several default segments there: the default, medium primes only (no buckets), and
  // small segments with most primes in buckets agree; Miller-Rabin checks a piece.
  const std::uint64_t lo = 1'000'000'000'000'000ULL + 11;
  const std::uint64_t hi = lo + 75 * sd::kDefaultTuning.segment_bytes;  // 2.5 segments
  const std::uint64_t expected = count_primes_sieve(lo, hi, primes);
  EXPECT_EQ(sd::count_primes(lo, hi, primes, sd::Tuning{4096, 1024, 100, 1ULL << 40, 15}),
            expected);
  EXPECT_EQ(sd::count_primes(lo, hi, primes, sd::Tuning{65536, 8192, 1000, 0, 4}), expected);
  EXPECT_EQ(count_primes_sieve(lo, lo + 100'000, primes), count_primes_mr(lo, lo + 100'000));
}

TEST(PrimesSieve, ConcurrentSlicesShareThePrimes) {
  const std::uint64_t hi = 100'000'000;
  const auto primes = sieving_primes(hi);
  std::uint64_t parts[4] = {};
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (std::uint64_t lo = k * 1'000'003ULL; lo < hi; lo += 4 * 1'000'003ULL)
        parts[k] += count_primes_sieve(lo, std::min(hi, lo + 1'000'003), primes);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(parts[0] + parts[1] + parts[2] + parts[3], 5'761'455u);
}

TEST(PrimesSieve, InnerLoopsAgreeWithEachOther) {
  // cross_off_turns (eight stores a turn) and cross_off_steps (one) leave the same bits and cursor,
  // from every state, over a segment of odd length.
  for (const std::uint64_t p : {167ULL, 173ULL, 30'011ULL, 99'991ULL}) {
    sd::Cursor c{};
    ASSERT_TRUE(sd::first_multiple(p, 0, 1ULL << 40, 0, c));
    for (unsigned b0 = 0; b0 < 8; ++b0) {
      std::vector<std::uint8_t> x(100'003, 0xFF), y(100'003, 0xFF);
      unsigned bx = b0, by = b0;
      const std::uint64_t ix = sd::cross_off_turns(5, c.P, c.a, bx, x.data(), x.size());
      const std::uint64_t iy = sd::cross_off_steps(5, c.P, c.a, by, y.data(), y.size());
      EXPECT_EQ(ix, iy) << p;
      EXPECT_EQ(bx, by) << p;
      EXPECT_EQ(x, y) << p;
      EXPECT_GE(ix, x.size());
    }
  }
}

TEST(PrimesSieve, WholeTurnsFinishTheLastTurnPastTheWindow) {
  // cross_off_whole_turns over a window of odd length crosses off what cross_off_steps does there,
  // then the rest of the last turn (past the window, in bytes the caller keeps), and stops where
  // the next turn starts, in the same state; from every state of primes of every residue mod 30.
  const std::uint64_t window = 100'003;
  for (const std::uint64_t p :
       {157ULL, 163ULL, 167ULL, 173ULL, 179ULL, 181ULL, 191ULL, 199ULL, 30'011ULL, 99'991ULL}) {
    sd::Cursor c{};
    ASSERT_TRUE(sd::first_multiple(p, 0, 1ULL << 40, 0, c));
    for (unsigned b0 = 0; b0 < 8; ++b0) {
      std::vector<std::uint8_t> x(window + p, 0xFF), y(window + p, 0xFF);
      const std::uint64_t ix = sd::cross_off_whole_turns(5, c.P, c.a, b0, x.data(), window);
      unsigned by = b0;
      std::uint64_t iy = sd::cross_off_steps(5, c.P, c.a, by, y.data(), window);
      while (by != b0) iy = sd::cross_off_steps(iy, c.P, c.a, by, y.data(), iy + 1);  // one step
      EXPECT_EQ(ix, iy) << p << ' ' << b0;
      EXPECT_EQ(x, y) << p << ' ' << b0;
      EXPECT_GE(ix, window);
      EXPECT_LT(ix, window + p);
    }
  }
}

}  // namespace
