#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "kernels/primes.hpp"

namespace parbench::kernels {
namespace {

// One byte per odd number: crossing off is a plain store, with no read-modify-write chain through a
// word. A segment of kSegmentBytes (1 MiB, two million numbers) stays in this machine's L2, and is
// large enough that the large sieving primes (which hit a segment rarely) do not cost a visit per
// tiny segment.
constexpr std::uint64_t kSegmentBytes = 1024 * 1024;
// Sieving primes up to kSmallPrime hit each segment thousands of times; they work through it in
// L1-sized blocks.
constexpr std::uint64_t kBlockBytes = 48 * 1024;  // L1d here
constexpr std::uint64_t kSmallPrime = 1024;

// The multiples of the smallest odd primes are not crossed off one by one: a segment starts as a
// copy of their combined pattern, which repeats every 3 * 5 * 7 * 11 * 13 odd numbers. That removes
// 40% of the crossing-off work.
constexpr std::uint32_t kPresieved[] = {3, 5, 7, 11, 13};
constexpr std::uint64_t kPatternPeriod = 3 * 5 * 7 * 11 * 13;
constexpr std::uint64_t kFirstSieved = 17;  // the smallest prime the pattern does not cover

// The residues modulo 30 of the numbers coprime to 30, and the distance to the next one in units of
// odd numbers (half the gap): 1 -> 7 is 3 odd steps, ..., 29 -> 31 is 1.
constexpr std::uint64_t kWheel[8] = {1, 7, 11, 13, 17, 19, 23, 29};
constexpr std::uint64_t kHalfGap[8] = {3, 2, 1, 2,
                                       1, 2, 3, 1};  // sums to 15: one turn is 30 numbers

// Where a sieving prime is: the odd index of its next multiple p * q and the wheel position of q.
struct Cursor {
  std::uint64_t p;
  std::uint64_t index;
  unsigned wheel;
};

Cursor first_cursor(std::uint64_t p, std::uint64_t start, std::uint64_t hi,
                    std::uint64_t odd_count) {
  std::uint64_t q =
      std::max(p, (start + p - 1) / p);  // the first multiple at or past p^2 and start
  unsigned w = 0;
  while (true) {  // advance q to the next number coprime to 30
    const std::uint64_t r = q % 30;
    const auto it = std::find(std::begin(kWheel), std::end(kWheel), r);
    if (it != std::end(kWheel)) {
      w = static_cast<unsigned>(it - std::begin(kWheel));
      break;
    }
    ++q;
  }
  std::uint64_t first = 0;
  if (__builtin_mul_overflow(p, q, &first) || first >= hi) return {p, odd_count, w};
  return {p, (first - start) / 2, w};
}

// Crosses off c.p's multiples inside the segment [base, base + length) of odd indices.
inline void cross_off(Cursor& c, std::uint64_t base, std::uint64_t length, std::uint8_t* cells) {
  if (c.index >= base + length) return;
  const std::uint64_t p = c.p;
  std::uint64_t i = c.index - base;
  unsigned w = c.wheel;
  // Whole turns of the wheel, eight independent stores each (the small primes' bulk).
  if (i + 15 * p <= length) {
    std::uint64_t o[8];
    o[0] = 0;
    for (unsigned k = 1; k < 8; ++k) o[k] = o[k - 1] + p * kHalfGap[(w + k - 1) & 7];
    for (; i + 15 * p <= length; i += 15 * p) {
      cells[i] = 0;
      cells[i + o[1]] = 0;
      cells[i + o[2]] = 0;
      cells[i + o[3]] = 0;
      cells[i + o[4]] = 0;
      cells[i + o[5]] = 0;
      cells[i + o[6]] = 0;
      cells[i + o[7]] = 0;
    }
  }
  for (; i < length; w = (w + 1) & 7) {
    cells[i] = 0;
    i += p * kHalfGap[w];
  }
  c.index = i + base;
  c.wheel = w;
}

// The number of cells that are 1. Every cell is 0 or 1, so a word's popcount is its number of live
// cells: eight cells per popcount, which vectorises (AVX-512 VPOPCNTDQ where present).
std::uint64_t count_ones(const std::uint8_t* cells, std::uint64_t length) {
  std::uint64_t ones = 0;
  std::uint64_t i = 0;
  for (; i + 8 <= length; i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, cells + i, sizeof word);
    ones += static_cast<std::uint64_t>(std::popcount(word));
  }
  for (; i < length; ++i) ones += cells[i];
  return ones;
}

// pattern[j] = 1 unless start + 2j has a factor in kPresieved.
std::vector<std::uint8_t> presieve_pattern(std::uint64_t start) {
  std::vector<std::uint8_t> pattern(kPatternPeriod, 1);
  for (const std::uint64_t p : kPresieved) {
    // the first j with start + 2j = 0 mod p: j = -start / 2 mod p (2 is invertible mod odd p)
    const std::uint64_t half_inverse = (p + 1) / 2;
    const std::uint64_t j0 = (p - start % p) % p * half_inverse % p;
    for (std::uint64_t j = j0; j < kPatternPeriod; j += p) pattern[j] = 0;
  }
  return pattern;
}

}  // namespace

std::vector<std::uint32_t> sieving_primes(std::uint64_t hi) {
  const std::uint64_t limit = hi < 2 ? 0 : isqrt(hi - 1);
  // A plain sieve over the odd numbers 3..limit (bit i <=> 2i + 1).
  std::vector<bool> composite(limit / 2 + 1, false);
  std::vector<std::uint32_t> primes;
  for (std::uint64_t i = 1; 2 * i + 1 <= limit; ++i) {
    if (composite[i]) continue;
    const std::uint64_t p = 2 * i + 1;
    primes.push_back(static_cast<std::uint32_t>(p));
    for (std::uint64_t j = p * p / 2; j < composite.size(); j += p) composite[j] = true;
  }
  return primes;
}

std::uint64_t sieve_memory_bytes(std::uint64_t hi) noexcept {
  const double limit = std::sqrt(static_cast<double>(hi));
  const double prime_count = limit / std::max(1.0, std::log(limit) - 1.1);
  // the bit sieve used to find them, the primes, their next multiples, one segment
  return static_cast<std::uint64_t>(limit / 16 + prime_count * 12 + kSegmentBytes);
}

std::uint64_t count_primes_sieve(std::uint64_t lo, std::uint64_t hi,
                                 const std::vector<std::uint32_t>& primes) {
  if (hi <= lo) return 0;
  std::uint64_t count = 0;
  for (const std::uint64_t p : {2, 3, 5, 7, 11, 13}) count += (lo <= p && p < hi) ? 1 : 0;
  const std::uint64_t start = std::max(lo, kFirstSieved) | 1;  // first odd number >= 17 in range
  if (start >= hi) return count;
  const std::uint64_t odd_count = (hi - start + 1) / 2;  // odd numbers start, start + 2, ... < hi
  const std::uint64_t limit = isqrt(hi - 1);

  // Each sieving prime p >= 17 crosses off only the multiples p * q with q coprime to 30: the
  // others are multiples of 2, 3 or 5, which the pattern and the odd-only layout have already
  // removed. That is 8 multiples in every 30 p, 47% fewer stores than every odd multiple.
  std::vector<Cursor> cursors;
  const auto first_sieved = static_cast<std::size_t>(
      std::lower_bound(primes.begin(), primes.end(), kFirstSieved) - primes.begin());
  for (std::size_t k = first_sieved; k < primes.size() && primes[k] <= limit; ++k) {
    cursors.push_back(first_cursor(primes[k], start, hi, odd_count));
  }

  const auto small_primes =
      static_cast<std::size_t>(std::find_if(cursors.begin(), cursors.end(),
                                            [](const Cursor& c) { return c.p > kSmallPrime; }) -
                               cursors.begin());
  const std::vector<std::uint8_t> pattern = presieve_pattern(start);
  std::vector<std::uint8_t> segment(
      std::min(kSegmentBytes, odd_count));  // small range, small segment
  for (std::uint64_t base = 0; base < odd_count; base += kSegmentBytes) {
    const std::uint64_t length = std::min(kSegmentBytes, odd_count - base);
    std::uint8_t* const cells = segment.data();
    for (std::uint64_t pos = 0, offset = base % kPatternPeriod; pos < length; offset = 0) {
      const std::uint64_t n = std::min(kPatternPeriod - offset, length - pos);
      std::copy_n(pattern.data() + offset, n, cells + pos);
      pos += n;
    }
    // Primes with many multiples per segment work through it in L1-sized blocks, so that their
    // stores hit L1; the rest visit the whole segment once.
    for (std::uint64_t block = 0; block < length; block += kBlockBytes) {
      const std::uint64_t block_length = std::min(kBlockBytes, length - block);
      for (std::size_t k = 0; k < small_primes; ++k) {
        cross_off(cursors[k], base + block, block_length, cells + block);
      }
    }
    for (std::size_t k = small_primes; k < cursors.size(); ++k)
      cross_off(cursors[k], base, length, cells);
    count += count_ones(cells, length);
  }
  return count;
}

std::uint64_t count_primes_sieve(std::uint64_t lo, std::uint64_t hi) {
  return count_primes_sieve(lo, hi, sieving_primes(hi));
}

}  // namespace parbench::kernels
