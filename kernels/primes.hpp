// PURPOSE: primality of 64-bit numbers and prime counts over ranges, three ways.
//
// NOTES:
// - trial: the book's check_prime with its quirks fixed: 1 is not prime, 2 is, and the divisor
//   bound is the exact integer square root (no floating point). One division per odd candidate
//   divisor; numbers below 2^32 use 32-bit division, which this kind of core does faster.
// - mr: deterministic Miller-Rabin for every 64-bit n, with Jim Sinclair's seven bases (proven
//   for all n < 2^64) in Montgomery arithmetic (no division in the loop), after a screen by small
//   primes.
// - sieve: a segmented sieve of Eratosthenes on the mod-30 wheel (30 numbers per byte, one bit per
//   number coprime to 30), in the manner of primesieve: segments of half an L2 pre-sieved of the
//   primes 7..163 from patterns, small sieving primes crossed off in L1-sized blocks eight
//   multiples a turn, large ones through buckets, primes counted by popcount (details in
//   primes_sieve.cpp and docs/sieve.md). It counts the primes of [lo, hi) without testing numbers
//   one by one. The algorithmic ceiling of the three.
#pragma once

#include <cstdint>
#include <vector>

namespace parbench::kernels {

// floor(sqrt(n)), exact for every 64-bit n.
std::uint64_t isqrt(std::uint64_t n) noexcept;

bool is_prime_trial(std::uint64_t n) noexcept;
bool is_prime_mr(std::uint64_t n) noexcept;

// Numbers of primes in [lo, hi), testing each number.
std::uint64_t count_primes_trial(std::uint64_t lo, std::uint64_t hi) noexcept;
std::uint64_t count_primes_mr(std::uint64_t lo, std::uint64_t hi) noexcept;
// The odd primes up to isqrt(hi - 1): everything a sieve of [lo, hi) needs. Compute once, share
// among slices (read-only).
std::vector<std::uint32_t> sieving_primes(std::uint64_t hi);
// Bytes sieving_primes(hi) and one segment need: what a range costs in memory.
std::uint64_t sieve_memory_bytes(std::uint64_t hi) noexcept;
// The number of primes in [lo, hi) by sieving, with `primes` = sieving_primes(h) for some h >= hi.
std::uint64_t count_primes_sieve(std::uint64_t lo, std::uint64_t hi,
                                 const std::vector<std::uint32_t>& primes);
std::uint64_t count_primes_sieve(std::uint64_t lo, std::uint64_t hi);

}  // namespace parbench::kernels
