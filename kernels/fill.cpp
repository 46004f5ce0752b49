#include "kernels/fill.hpp"

#include <algorithm>

namespace parbench::kernels {
namespace {

constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ULL;  // the Weyl step (golden ratio)

constexpr std::uint64_t mix(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The bits of a double in [0, 1) from the top 53 of 64 random bits: exponent of 1.0, then minus 1
// done in integers would lose the low bits, so the value is built as (bits >> 11) * 2^-53.
inline std::uint64_t unit_double_bits(std::uint64_t random) noexcept {
  const double d = static_cast<double>(random >> 11) * 0x1.0p-53;
  std::uint64_t bits = 0;
  __builtin_memcpy(&bits, &d, sizeof bits);
  return bits;
}

// Where row `row`'s stream starts: a different Weyl origin per (seed, row).
inline std::uint64_t row_origin(std::uint64_t seed, std::uint64_t row) noexcept {
  return mix(mix(seed ^ 0x5DEECE66DULL) + row * kGamma);
}

}  // namespace

bool row_holds(std::span<const std::uint64_t> row, std::uint64_t value) noexcept {
  return std::all_of(row.begin(), row.end(), [value](std::uint64_t w) { return w == value; });
}

void fill_row_with_id(std::span<std::uint64_t> row, std::uint64_t id) noexcept {
  std::fill(row.begin(), row.end(), id);
}

std::uint64_t random_element(std::uint64_t seed, std::uint64_t row, std::uint64_t col) noexcept {
  return unit_double_bits(mix(row_origin(seed, row) + (col + 1) * kGamma));
}

void fill_row_random(std::span<std::uint64_t> row, std::uint64_t seed,
                     std::uint64_t index) noexcept {
  const std::uint64_t origin = row_origin(seed, index);
  for (std::size_t c = 0; c < row.size(); ++c)
    row[c] = unit_double_bits(mix(origin + (c + 1) * kGamma));
}

std::uint64_t row_hash(std::span<const std::uint64_t> row) noexcept {
  // A sum of independent terms rather than a chain: it vectorises, and the column in each term
  // still makes the order count.
  std::uint64_t sum = 0;
  for (std::size_t c = 0; c < row.size(); ++c) sum += mix(row[c] ^ ((c + 1) * kGamma));
  return mix(sum + row.size());
}

}  // namespace parbench::kernels
