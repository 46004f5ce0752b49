// PURPOSE: is one large n prime? Trial division over a range of candidate divisors that stops early
// when asked (the book's "Verifying primes using interprocess communication").
//
// NOTES: The kernel knows nothing of flags or processes: every `check_every` candidates it asks a
// caller-supplied predicate whether to stop. Two ways of asking, as in the book: a countdown inside
// the loop (`kCounter`) or blocks of `check_every` candidates without any check between (`kBlock`,
// the book's "mmap redux"), which keeps the inner loop free of anything but the division.
#pragma once

#include <algorithm>
#include <cstdint>

namespace parbench::kernels {

enum class CheckStyle { kCounter, kBlock };

struct FactorSearch {
  // The smallest divisor found in the range, 0 if none (or stopped first).
  std::uint64_t factor = 0;
  std::uint64_t tested = 0;  // candidates tried
  std::uint64_t checks = 0;  // times the stop predicate was asked
  bool stopped = false;      // the predicate said stop
};

// Tries the divisors first, first + 2, ..., up to and including last (first odd, or 2 alone).
// should_stop(candidate) is asked every check_every candidates with the next candidate to try.
template <typename ShouldStop>
FactorSearch smallest_factor_in(std::uint64_t n, std::uint64_t first, std::uint64_t last,
                                std::uint64_t check_every, CheckStyle style,
                                ShouldStop&& should_stop) {
  FactorSearch s;
  if (first > last) return s;
  if (first == 2) {
    s.tested = 1;
    if (n % 2 == 0) {
      s.factor = 2;
      return s;
    }
    return s;
  }
  const std::uint64_t total = (last - first) / 2 + 1;  // odd candidates in [first, last]
  if (style == CheckStyle::kBlock) {
    for (std::uint64_t done = 0; done < total;) {
      const std::uint64_t block = std::min(check_every, total - done);
      const std::uint64_t begin = first + 2 * done;
      for (std::uint64_t k = 0; k < block; ++k) {
        if (n % (begin + 2 * k) == 0) {
          s.factor = begin + 2 * k;
          s.tested += k + 1;
          return s;
        }
      }
      done += block;
      s.tested += block;
      if (done < total) {
        ++s.checks;
        if (should_stop(first + 2 * done)) {
          s.stopped = true;
          return s;
        }
      }
    }
    return s;
  }
  std::uint64_t countdown = check_every;
  for (std::uint64_t d = first, k = 0; k < total; ++k, d += 2) {
    if (n % d == 0) {
      s.factor = d;
      s.tested = k + 1;
      return s;
    }
    if (--countdown == 0) {
      countdown = check_every;
      ++s.checks;
      if (should_stop(d + 2)) {
        s.tested = k + 1;
        s.stopped = true;
        return s;
      }
    }
  }
  s.tested = total;
  return s;
}

}  // namespace parbench::kernels
