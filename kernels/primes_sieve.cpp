#include <algorithm>
#include <cmath>

#include "kernels/primes.hpp"

namespace parbench::kernels {
namespace {

// One byte per odd number: crossing off is a plain store, with no read-modify-write chain through a
// word. A segment of 256 KiB stays in L2 and spans 512 Ki numbers, so that the large sieving primes
// (which hit a segment rarely) do not cost a visit per tiny segment.
constexpr std::uint64_t kSegmentBytes = 256 * 1024;

// The multiples of the smallest odd primes are not crossed off one by one: a segment starts as a
// copy of their combined pattern, which repeats every 3 * 5 * 7 * 11 * 13 odd numbers. That removes
// 40% of the crossing-off work.
constexpr std::uint32_t kPresieved[] = {3, 5, 7, 11, 13};
constexpr std::uint64_t kPatternPeriod = 3 * 5 * 7 * 11 * 13;
constexpr std::uint64_t kFirstSieved = 17;  // the smallest prime the pattern does not cover

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

  // next[k - first_sieved]: the index (x - start) / 2 of the next odd multiple x of primes[k] still
  // to cross off.
  std::vector<std::uint64_t> next;
  const auto first_sieved = static_cast<std::size_t>(
      std::lower_bound(primes.begin(), primes.end(), kFirstSieved) - primes.begin());
  std::size_t used = first_sieved;
  for (; used < primes.size() && primes[used] <= limit; ++used) {
    const std::uint64_t p = primes[used];
    std::uint64_t first = p * p;
    if (first < start) {
      first = start + (p - start % p) %
                          p;  // cannot overflow: start <= hi - 1 and the multiple <= hi - 1 + p
      if (first % 2 == 0) first += p;
    }
    next.push_back(first >= hi ? odd_count : (first - start) / 2);
  }

  const std::vector<std::uint8_t> pattern = presieve_pattern(start);
  std::vector<std::uint8_t> segment(
      std::min(kSegmentBytes, odd_count));  // small ranges, small segment
  for (std::uint64_t base = 0; base < odd_count; base += kSegmentBytes) {
    const std::uint64_t length = std::min(kSegmentBytes, odd_count - base);
    std::uint8_t* const cells = segment.data();
    for (std::uint64_t pos = 0, offset = base % kPatternPeriod; pos < length; offset = 0) {
      const std::uint64_t n = std::min(kPatternPeriod - offset, length - pos);
      std::copy_n(pattern.data() + offset, n, cells + pos);
      pos += n;
    }
    for (std::size_t k = first_sieved; k < used; ++k) {
      const std::uint64_t p = primes[k];
      std::uint64_t& cursor = next[k - first_sieved];
      std::uint64_t i = cursor - base;
      for (; i < length; i += p) cells[i] = 0;
      cursor = i + base;
    }
    // Summing bytes vectorises; the sum of one segment fits comfortably in 64 bits.
    std::uint64_t alive = 0;
    for (std::uint64_t i = 0; i < length; ++i) alive += cells[i];
    count += alive;
  }
  return count;
}

std::uint64_t count_primes_sieve(std::uint64_t lo, std::uint64_t hi) {
  return count_primes_sieve(lo, hi, sieving_primes(hi));
}

}  // namespace parbench::kernels
