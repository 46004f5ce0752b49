// PURPOSE: Monte Carlo estimate of pi, the book's darts in the unit square.
//
// NOTES: Sample i's point is a pure function of (seed, i): a SplitMix64 finaliser applied to the
// i-th element of a Weyl sequence (a counter-based generator, as in NAS EP's use of jump-ahead).
// The hit count over [begin, end) therefore does not depend on how a range is split among workers,
// and forked workers can never share a generator state (the book's pitfall). The "inside" test is
// exact integer arithmetic: the 64 random bits give x and y as 32-bit fixed-point fractions, and
// x^2 + y^2 < 2^64 is checked with the carry of a 64-bit addition. No floating point is involved,
// so every compiler, flag set and ISA gives the same count for the same (seed, range).
//
// The loop (issue 23): the Weyl state advances by an addition instead of a multiply per dart, and
// the squares of the 32-bit halves are 32 x 32 -> 64 multiplies (vpmuludq). With AVX-512DQ the
// finaliser keeps its two 64-bit multiplies (vpmullq, zmm, 8 darts a vector). With AVX2 only, which
// has no 64-bit multiply, each is one vpmuludq plus one vpmulld against the constant with its
// halves swapped; an iteration takes ten darts, two ymm vectors of four and two through the scalar
// pipes (imul), which the vector code leaves idle. Without either, the portable scalar loop. All
// give the same count as the definition: tests/kernels_test.cpp holds them to each other and to
// values from an independent restatement. Figures: docs/measuring.md, "The pi kernel's loop".
#pragma once

#include <cstdint>

namespace parbench::kernels {

// Counts the samples with index in [begin, end) that fall inside the quarter disc.
std::uint64_t pi_count_hits(std::uint64_t seed, std::uint64_t begin, std::uint64_t end) noexcept;

// The same count from the portable scalar loop (tests hold the vector loop to it).
std::uint64_t pi_count_hits_scalar(std::uint64_t seed, std::uint64_t begin,
                                   std::uint64_t end) noexcept;

// The same count from the loop before issue 23, a plain loop left to GCC's vectoriser; kept for
// the microbenchmark that compares the two side by side.
std::uint64_t pi_count_hits_plain(std::uint64_t seed, std::uint64_t begin,
                                  std::uint64_t end) noexcept;

// Which vector loop pi_count_hits runs in this build: "avx512", "avx2" or "none" (scalar).
const char* pi_vector_isa() noexcept;

// 4 * hits / samples.
double pi_estimate(std::uint64_t hits, std::uint64_t samples) noexcept;

// One standard deviation of the estimate for `samples` darts: 4 * sqrt(p(1-p)/N), p = pi/4.
double pi_sigma(std::uint64_t samples) noexcept;

}  // namespace parbench::kernels
