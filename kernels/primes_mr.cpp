#include "kernels/primes.hpp"

namespace parbench::kernels {
namespace {

__extension__ typedef unsigned __int128 u128;

// Arithmetic modulo an odd n in Montgomery form (R = 2^64).
class Montgomery {
 public:
  explicit Montgomery(std::uint64_t n) noexcept : n_(n), inverse_(n) {
    for (int i = 0; i < 6; ++i) inverse_ *= 2 - n * inverse_;  // Newton: n * inverse_ = 1 mod 2^64
    one_ = static_cast<std::uint64_t>((static_cast<u128>(1) << 64) % n);
    r2_ = static_cast<std::uint64_t>((static_cast<u128>(one_) << 64) % n);
  }

  // a * b / R mod n, for a, b < n.
  std::uint64_t mul(std::uint64_t a, std::uint64_t b) const noexcept {
    const u128 t = static_cast<u128>(a) * b;
    const auto low = static_cast<std::uint64_t>(t);
    const auto high = static_cast<std::uint64_t>(t >> 64);
    const std::uint64_t m = low * inverse_;
    const auto mn_high = static_cast<std::uint64_t>((static_cast<u128>(m) * n_) >> 64);
    return high >= mn_high ? high - mn_high : high - mn_high + n_;
  }
  std::uint64_t to_form(std::uint64_t a) const noexcept { return mul(a % n_, r2_); }
  std::uint64_t one() const noexcept { return one_; }
  std::uint64_t minus_one() const noexcept { return n_ - one_; }

  std::uint64_t pow(std::uint64_t base_form, std::uint64_t e) const noexcept {
    std::uint64_t result = one_;
    for (; e != 0; e >>= 1) {
      if ((e & 1) != 0) result = mul(result, base_form);
      base_form = mul(base_form, base_form);
    }
    return result;
  }

 private:
  std::uint64_t n_;
  std::uint64_t inverse_;
  std::uint64_t one_;
  std::uint64_t r2_;  // R^2 mod n
};

// Jim Sinclair's bases: together they make Miller-Rabin exact for every n < 2^64.
constexpr std::uint64_t kBases[] = {2, 325, 9375, 28178, 450775, 9780504, 1795265022};
constexpr std::uint32_t kSmallPrimes[] = {3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53};

bool strong_probable_prime(const Montgomery& m, std::uint64_t n, std::uint64_t base) noexcept {
  const std::uint64_t a = base % n;
  if (a == 0) return true;  // the base is a multiple of n: says nothing
  std::uint64_t d = n - 1;
  int s = 0;
  while ((d & 1) == 0) {
    d >>= 1;
    ++s;
  }
  std::uint64_t x = m.pow(m.to_form(a), d);
  if (x == m.one() || x == m.minus_one()) return true;
  for (int i = 1; i < s; ++i) {
    x = m.mul(x, x);
    if (x == m.minus_one()) return true;
  }
  return false;
}

}  // namespace

bool is_prime_mr(std::uint64_t n) noexcept {
  if (n < 2) return false;
  if (n % 2 == 0) return n == 2;
  for (const std::uint32_t p : kSmallPrimes) {
    if (n % p == 0) return n == p;
  }
  if (n < 59 * 59) return true;  // no prime factor below 59 and smaller than 59^2
  const Montgomery m(n);
  for (const std::uint64_t base : kBases) {
    if (!strong_probable_prime(m, n, base)) return false;
  }
  return true;
}

std::uint64_t count_primes_mr(std::uint64_t lo, std::uint64_t hi) noexcept {
  std::uint64_t count = 0;
  for (std::uint64_t n = lo; n < hi; ++n) count += is_prime_mr(n) ? 1 : 0;
  return count;
}

}  // namespace parbench::kernels
