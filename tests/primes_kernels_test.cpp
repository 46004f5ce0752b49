#include <gtest/gtest.h>

#include <random>

#include "kernels/primes.hpp"

namespace {

using namespace parbench::kernels;

// Both tests, and the sieve over [n, n + 1), must say the same of n.
void expect_agreement(std::uint64_t n, const std::vector<std::uint32_t>& primes) {
  const bool mr = is_prime_mr(n);
  EXPECT_EQ(is_prime_trial(n), mr) << n;
  EXPECT_EQ(count_primes_sieve(n, n + 1, primes), mr ? 1u : 0u) << n;
}

TEST(PrimeKernels, SmallNumbersAndTheBooksQuirksFixed) {
  EXPECT_FALSE(is_prime_trial(0));
  EXPECT_FALSE(is_prime_trial(1));  // the book's check_prime says 1 is prime
  EXPECT_TRUE(is_prime_trial(2));   // ... and that 2 is not
  EXPECT_TRUE(is_prime_trial(3));
  EXPECT_FALSE(is_prime_mr(0));
  EXPECT_FALSE(is_prime_mr(1));
  EXPECT_TRUE(is_prime_mr(2));
  EXPECT_TRUE(is_prime_mr(3));
  const auto primes = sieving_primes(1 << 20);
  for (std::uint64_t n = 0; n < 20000; ++n) expect_agreement(n, primes);
}

TEST(PrimeKernels, CarmichaelNumbersAndStrongPseudoprimes) {
  const auto primes = sieving_primes(1ULL << 42);
  for (const std::uint64_t n :
       {561ULL,        1105ULL,         1729ULL,          2465ULL,          2821ULL,
        6601ULL,       8911ULL,         41041ULL,         825265ULL,        321197185ULL,
        5394826801ULL, 232250619601ULL, 9746347772161ULL,  // Carmichael numbers
        2047ULL,       3277ULL,         4033ULL,          4681ULL,          8321ULL,
        15841ULL,      29341ULL,        42799ULL,         49141ULL,         52633ULL,
        65281ULL,      74665ULL,        80581ULL,         85489ULL,         88357ULL,
        90751ULL,  // strong pseudoprimes to base 2
        1373653ULL,    25326001ULL,     3215031751ULL,    2152302898747ULL, 3474749660383ULL}) {
    EXPECT_FALSE(is_prime_mr(n)) << n;
    expect_agreement(n, primes);
  }
  // A strong pseudoprime to every prime base up to 37 except the last few: past the sieve's range.
  EXPECT_FALSE(is_prime_mr(3825123056546413051ULL));
  EXPECT_FALSE(is_prime_trial(3825123056546413051ULL));
}

TEST(PrimeKernels, ExtremesOf64Bits) {
  // The largest 64-bit prime and the square of the largest prime below 2^32: the worst cases for
  // trial division (2^31 divisions each).
  const std::uint64_t largest_prime = 18446744073709551557ULL;  // 2^64 - 59
  EXPECT_TRUE(is_prime_mr(largest_prime));
  EXPECT_TRUE(is_prime_trial(largest_prime));
  const std::uint64_t square = 4294967291ULL * 4294967291ULL;
  EXPECT_FALSE(is_prime_mr(square));
  EXPECT_FALSE(is_prime_trial(square));
  EXPECT_FALSE(is_prime_mr(4294967279ULL * 4294967291ULL));
  EXPECT_TRUE(is_prime_mr(4294967291ULL));
  EXPECT_EQ(isqrt(~0ULL), 4294967295ULL);
  EXPECT_EQ(isqrt(square), 4294967291ULL);
  EXPECT_EQ(isqrt(square - 1), 4294967290ULL);
}

TEST(PrimeKernels, AgreeOnRandomNumbers) {
  std::mt19937_64 rng(2026);
  const auto primes = sieving_primes(1ULL << 40);
  for (int i = 0; i < 3000; ++i) expect_agreement(rng() % (1ULL << 40), primes);
  // Full 64-bit: Miller-Rabin against trial division where trial division is quick (a small
  // factor).
  int checked = 0;
  for (int i = 0; i < 5000; ++i) {
    const std::uint64_t n = rng();
    for (std::uint64_t d = 3; d < 1000; d += 2) {
      if (n % d == 0) {
        EXPECT_FALSE(is_prime_mr(n)) << n;
        EXPECT_FALSE(is_prime_trial(n)) << n;
        ++checked;
        break;
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(PrimeKernels, KnownCounts) {
  // The book's ranges A to E, and pi(10^6), pi(10^7) by every algorithm.
  struct Case {
    std::uint64_t lo, hi, count;
  };
  for (const Case c :
       {Case{100'000'000, 100'010'000, 551}, Case{100'000'000, 100'100'000, 5'411},
        Case{100'000'000, 101'000'000, 54'208}, Case{1'000'000'000, 1'000'100'000, 4'832},
        Case{100'000'000'000, 100'000'100'000, 4'019}, Case{0, 1'000'000, 78'498}}) {
    EXPECT_EQ(count_primes_sieve(c.lo, c.hi), c.count) << c.lo;
    EXPECT_EQ(count_primes_mr(c.lo, c.hi), c.count) << c.lo;
  }
  EXPECT_EQ(count_primes_trial(100'000'000, 100'010'000), 551u);
  EXPECT_EQ(count_primes_trial(100'000'000'000, 100'000'010'000),
            count_primes_mr(100'000'000'000, 100'000'010'000));
  EXPECT_EQ(count_primes_sieve(0, 10'000'000), 664'579u);
  EXPECT_EQ(count_primes_mr(0, 10'000'000), 664'579u);
  EXPECT_EQ(count_primes_trial(0, 10'000'000), 664'579u);
  EXPECT_EQ(count_primes_sieve(0, 100'000'000), 5'761'455u);
}

TEST(PrimeKernels, SieveSlicesAddUp) {
  const auto primes = sieving_primes(101'000'000);
  std::uint64_t total = 0;
  for (std::uint64_t lo = 100'000'000; lo < 101'000'000; lo += 77'777) {
    total += count_primes_sieve(lo, std::min<std::uint64_t>(lo + 77'777, 101'000'000), primes);
  }
  EXPECT_EQ(total, 54'208u);
  EXPECT_EQ(count_primes_sieve(5, 5), 0u);
  EXPECT_EQ(count_primes_sieve(7, 3), 0u);
}

}  // namespace
