#include "monte_carlo_pi.hpp"

#include <cmath>
#include <numbers>

namespace parbench::kernels {
namespace {

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;  // SplitMix64's Weyl increment

constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

std::uint64_t pi_count_hits(std::uint64_t seed, std::uint64_t begin, std::uint64_t end) noexcept {
  // Mixing the seed first puts two nearby seeds at unrelated points of the Weyl sequence.
  const std::uint64_t origin = mix64(seed ^ 0x5DEECE66DULL);
  std::uint64_t hits = 0;
  // Written as a plain counted loop without early exits so that GCC vectorises it (zmm lanes with
  // AVX-512DQ's 64-bit multiply); check -fopt-info-vec after every change.
  for (std::uint64_t i = begin; i < end; ++i) {
    const std::uint64_t bits = mix64(origin + (i + 1) * kGolden);
    const std::uint64_t x = bits >> 32;
    const std::uint64_t y = bits & 0xFFFFFFFFULL;
    const std::uint64_t xx = x * x;
    const std::uint64_t sum = xx + y * y;
    hits += static_cast<std::uint64_t>(sum >= xx);  // no carry <=> x^2 + y^2 < 2^64 <=> inside
  }
  return hits;
}

double pi_estimate(std::uint64_t hits, std::uint64_t samples) noexcept {
  return samples == 0 ? 0.0 : 4.0 * static_cast<double>(hits) / static_cast<double>(samples);
}

double pi_sigma(std::uint64_t samples) noexcept {
  constexpr double p = std::numbers::pi / 4.0;
  return samples == 0 ? 0.0 : 4.0 * std::sqrt(p * (1.0 - p) / static_cast<double>(samples));
}

}  // namespace parbench::kernels
