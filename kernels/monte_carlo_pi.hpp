// PURPOSE: Monte Carlo estimate of pi, the book's darts in the unit square.
//
// NOTES: Sample i's point is a pure function of (seed, i): a SplitMix64 finaliser applied to the
// i-th element of a Weyl sequence (a counter-based generator, as in NAS EP's use of jump-ahead).
// The hit count over [begin, end) therefore does not depend on how a range is split among workers,
// and forked workers can never share a generator state (the book's pitfall). The "inside" test is
// exact integer arithmetic: the 64 random bits give x and y as 32-bit fixed-point fractions, and
// x^2 + y^2 < 2^64 is checked with the carry of a 64-bit addition. No floating point is involved,
// so every compiler, flag set and ISA gives the same count for the same (seed, range).
#pragma once

#include <cstdint>

namespace parbench::kernels {

// Counts the samples with index in [begin, end) that fall inside the quarter disc.
std::uint64_t pi_count_hits(std::uint64_t seed, std::uint64_t begin, std::uint64_t end) noexcept;

// 4 * hits / samples.
double pi_estimate(std::uint64_t hits, std::uint64_t samples) noexcept;

// One standard deviation of the estimate for `samples` darts: 4 * sqrt(p(1-p)/N), p = pi/4.
double pi_sigma(std::uint64_t samples) noexcept;

}  // namespace parbench::kernels
