#include <cmath>

#include "kernels/primes.hpp"

namespace parbench::kernels {
namespace {

// Odd divisors 3, 5, ... up to `limit`; T is the division width (32 bits is faster where n fits).
template <typename T>
bool has_odd_divisor_up_to(T n, T limit) noexcept {
  for (T d = 3; d <= limit; d += 2) {
    if (n % d == 0) return true;
  }
  return false;
}

}  // namespace

std::uint64_t isqrt(std::uint64_t n) noexcept {
  // The double estimate is within one or two of the answer; integer steps make it exact.
  auto r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
  while (r > 0 && (r > 0xFFFFFFFFULL || r * r > n)) --r;
  while (r < 0xFFFFFFFFULL && (r + 1) * (r + 1) <= n) ++r;
  return r;
}

bool is_prime_trial(std::uint64_t n) noexcept {
  if (n < 2) return false;
  if (n % 2 == 0) return n == 2;
  const std::uint64_t limit = isqrt(n);
  if (n <= 0xFFFFFFFFULL) {
    return !has_odd_divisor_up_to<std::uint32_t>(static_cast<std::uint32_t>(n),
                                                 static_cast<std::uint32_t>(limit));
  }
  return !has_odd_divisor_up_to<std::uint64_t>(n, limit);
}

std::uint64_t count_primes_trial(std::uint64_t lo, std::uint64_t hi) noexcept {
  std::uint64_t count = 0;
  for (std::uint64_t n = lo; n < hi; ++n) count += is_prime_trial(n) ? 1 : 0;
  return count;
}

}  // namespace parbench::kernels
