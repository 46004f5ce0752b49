#include "monte_carlo_pi.hpp"

#include <bit>
#include <cmath>
#include <numbers>

// The hand-written AVX-512 loop has not yet run on an AVX-512 host (none was at hand when it was
// written): until it has, such a host keeps the loop GCC vectorises there (pi_count_hits_plain,
// 3.4-4.5e9 darts/s per core on this project's Zen 5 hosts), and -DPARBENCH_PI_AVX512 selects it
// for trying it out; the tests hold it to the same counts.
#if defined(__AVX512F__) && defined(__AVX512DQ__) && !defined(PARBENCH_PI_AVX512)
#define PARBENCH_PI_PLAIN_ON_AVX512 1
#endif

#if defined(__AVX2__)
#if defined(__AVX512F__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
// GCC 12's AVX-512 intrinsics warn of their own `__m512i __Y = __Y;` (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#endif

namespace parbench::kernels {
namespace {

constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;  // SplitMix64's Weyl increment
constexpr std::uint64_t kMul1 = 0xBF58476D1CE4E5B9ULL;    // SplitMix64's finaliser constants
constexpr std::uint64_t kMul2 = 0x94D049BB133111EBULL;

constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * kMul1;
  z = (z ^ (z >> 27)) * kMul2;
  return z ^ (z >> 31);
}

// Mixing the seed first puts two nearby seeds at unrelated points of the Weyl sequence.
constexpr std::uint64_t origin_of(std::uint64_t seed) noexcept {
  return mix64(seed ^ 0x5DEECE66DULL);
}

// One dart, scalar: 1 if x^2 + y^2 < 2^64 (no carry out of the 64-bit sum), else 0.
constexpr std::uint64_t inside(std::uint64_t bits) noexcept {
  const std::uint64_t x = bits >> 32;
  const std::uint64_t y = bits & 0xFFFFFFFFULL;
  const std::uint64_t xx = x * x;
  const std::uint64_t sum = xx + y * y;
  return static_cast<std::uint64_t>(sum >= xx);
}

// The portable loop: the Weyl state advances by an addition, and each dart is a pure function of
// it, so any vector loop that computes the same states gives the same count.
std::uint64_t count_scalar(std::uint64_t origin, std::uint64_t begin, std::uint64_t end) noexcept {
  std::uint64_t hits = 0;
  std::uint64_t state = origin + (begin + 1) * kGolden;
  for (std::uint64_t i = begin; i < end; ++i, state += kGolden) hits += inside(mix64(state));
  return hits;
}

#if defined(__AVX512F__) && defined(__AVX512DQ__) && defined(PARBENCH_PI_AVX512)
// 8 darts per zmm vector. The finaliser's two multiplies stay 64 x 64 (vpmullq); the Weyl state is
// an addition, and the squares of the 32-bit halves are vpmuludq (32 x 32 -> 64).
constexpr std::uint64_t kLanes = 8;
std::uint64_t count_vector(std::uint64_t origin, std::uint64_t begin, std::uint64_t end) noexcept {
  const std::uint64_t blocks = (end - begin) / kLanes;
  const std::uint64_t first = origin + (begin + 1) * kGolden;
  __m512i state =
      _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(first)),
                       _mm512_mullo_epi64(_mm512_set1_epi64(static_cast<long long>(kGolden)),
                                          _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7)));
  const __m512i step = _mm512_set1_epi64(static_cast<long long>(kLanes * kGolden));
  const __m512i m1 = _mm512_set1_epi64(static_cast<long long>(kMul1));
  const __m512i m2 = _mm512_set1_epi64(static_cast<long long>(kMul2));
  const __m512i one = _mm512_set1_epi64(1);
  __m512i misses = _mm512_setzero_si512();
  for (std::uint64_t b = 0; b < blocks; ++b) {
    __m512i z = state;
    state = _mm512_add_epi64(state, step);
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), m1);
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), m2);
    z = _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
    const __m512i xx = _mm512_mul_epu32(_mm512_srli_epi64(z, 32), _mm512_srli_epi64(z, 32));
    const __m512i sum = _mm512_add_epi64(xx, _mm512_mul_epu32(z, z));
    misses = _mm512_mask_add_epi64(misses, _mm512_cmplt_epu64_mask(sum, xx), misses, one);
  }
  const std::uint64_t done = blocks * kLanes;
  return done - static_cast<std::uint64_t>(_mm512_reduce_add_epi64(misses)) +
         count_scalar(origin, begin + done, end);
}
constexpr const char* kVectorIsa = "avx512";
#elif defined(__AVX2__)
// 4 darts per ymm vector. AVX2 has no 64-bit multiply; z * c mod 2^64 is
//   lo(z)lo(c) + ((lo(z)hi(c) + hi(z)lo(c)) mod 2^32) << 32,
// one vpmuludq (32 x 32 -> 64) for the first product and one vpmulld (32 x 32 -> 32, lane-wise,
// against c with its halves swapped) for both cross terms; the squares of the 32-bit halves are one
// vpmuludq each. Per vector: 4 vpmuludq + 2 vpmulld (GCC's own AVX2 loop has 13 vpmuludq), the
// Weyl state is an addition, and 26 vector instructions in all.
constexpr std::uint64_t kLanes = 4;
inline __m256i mul64(__m256i z, __m256i c_lo, __m256i c_swapped) noexcept {
  const __m256i low = _mm256_mul_epu32(z, c_lo);
  const __m256i cross = _mm256_mullo_epi32(z, c_swapped);  // lo(z)hi(c) | hi(z)lo(c) << 32
  const __m256i high_half = _mm256_set1_epi64x(static_cast<long long>(0xFFFFFFFF00000000ULL));
  return _mm256_add_epi64(_mm256_add_epi64(low, _mm256_slli_epi64(cross, 32)),
                          _mm256_and_si256(cross, high_half));
}
inline __m256i splat(std::uint64_t v) noexcept {
  return _mm256_set1_epi64x(static_cast<long long>(v));
}
// One iteration takes kPerIteration consecutive darts: two vectors, and kScalarDarts through the
// scalar pipes (imul), which the vector loop leaves idle: 8 + 2 was 1.1x-1.2x faster than 8 + 0
// here, and 8 + 4 slower (measured side by side).
constexpr std::uint64_t kScalarDarts = 2;
constexpr std::uint64_t kPerIteration = 2 * kLanes + kScalarDarts;
// Unused on an AVX-512 host unless PARBENCH_PI_AVX512 (above).
[[maybe_unused]] std::uint64_t count_vector(std::uint64_t origin, std::uint64_t begin,
                                            std::uint64_t end) noexcept {
  const std::uint64_t iterations = (end - begin) / kPerIteration;
  const std::uint64_t first = origin + (begin + 1) * kGolden;  // the state of dart `begin`
  __m256i state = _mm256_setr_epi64x(
      static_cast<long long>(first), static_cast<long long>(first + kGolden),
      static_cast<long long>(first + 2 * kGolden), static_cast<long long>(first + 3 * kGolden));
  __m256i state2 = _mm256_add_epi64(state, splat(kLanes * kGolden));
  std::uint64_t scalar_state = first + 2 * kLanes * kGolden;
  const __m256i step = splat(kPerIteration * kGolden);
  const __m256i m1_lo = splat(kMul1 & 0xFFFFFFFFULL), m1_cross = splat(std::rotl(kMul1, 32));
  const __m256i m2_lo = splat(kMul2 & 0xFFFFFFFFULL), m2_cross = splat(std::rotl(kMul2, 32));
  // AVX2 compares only signed: flipping the top bit of both sides of xx > sum makes the signed
  // compare the unsigned one, and (xx ^ top) + yy == sum ^ top, so one xor does for both sides.
  const __m256i top = splat(0x8000000000000000ULL);
  const auto misses_of = [&](__m256i z) {  // -1 in each lane whose x^2 + y^2 carries out
    z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), m1_lo, m1_cross);
    z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), m2_lo, m2_cross);
    z = _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
    const __m256i x = _mm256_srli_epi64(z, 32);
    const __m256i xx_flipped = _mm256_xor_si256(_mm256_mul_epu32(x, x), top);
    const __m256i sum_flipped = _mm256_add_epi64(xx_flipped, _mm256_mul_epu32(z, z));
    return _mm256_cmpgt_epi64(xx_flipped, sum_flipped);
  };
  __m256i misses = _mm256_setzero_si256();  // minus the number of carries, per lane
  std::uint64_t scalar_hits = 0;
  for (std::uint64_t it = 0; it < iterations; ++it) {
    misses = _mm256_add_epi64(misses, misses_of(state));
    misses = _mm256_add_epi64(misses, misses_of(state2));
    for (std::uint64_t k = 0; k < kScalarDarts; ++k) {
      scalar_hits += inside(mix64(scalar_state + k * kGolden));
    }
    state = _mm256_add_epi64(state, step);
    state2 = _mm256_add_epi64(state2, step);
    scalar_state += kPerIteration * kGolden;
  }
  alignas(32) std::uint64_t lanes[kLanes];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), misses);
  const std::uint64_t carries = 0 - (lanes[0] + lanes[1] + lanes[2] + lanes[3]);
  const std::uint64_t done = iterations * kPerIteration;
  return iterations * 2 * kLanes - carries + scalar_hits + count_scalar(origin, begin + done, end);
}
constexpr const char* kVectorIsa = "avx2";
#else
[[maybe_unused]] std::uint64_t count_vector(std::uint64_t origin, std::uint64_t begin,
                                            std::uint64_t end) noexcept {
  return count_scalar(origin, begin, end);
}
constexpr const char* kVectorIsa = "none";
#endif

}  // namespace

std::uint64_t pi_count_hits(std::uint64_t seed, std::uint64_t begin, std::uint64_t end) noexcept {
#if defined(PARBENCH_PI_PLAIN_ON_AVX512)
  return pi_count_hits_plain(seed, begin, end);
#else
  return begin < end ? count_vector(origin_of(seed), begin, end) : 0;
#endif
}

std::uint64_t pi_count_hits_scalar(std::uint64_t seed, std::uint64_t begin,
                                   std::uint64_t end) noexcept {
  return begin < end ? count_scalar(origin_of(seed), begin, end) : 0;
}

std::uint64_t pi_count_hits_plain(std::uint64_t seed, std::uint64_t begin,
                                  std::uint64_t end) noexcept {
  const std::uint64_t origin = origin_of(seed);
  std::uint64_t hits = 0;
  // The loop before issue 23, left to GCC's vectoriser: a plain counted loop without early exits
  // (zmm lanes with AVX-512DQ's 64-bit multiply, emulated 64-bit multiplies with AVX2).
  for (std::uint64_t i = begin; i < end; ++i) hits += inside(mix64(origin + (i + 1) * kGolden));
  return hits;
}

const char* pi_vector_isa() noexcept {
#if defined(PARBENCH_PI_PLAIN_ON_AVX512)
  return "avx512 (GCC's loop)";
#else
  return kVectorIsa;
#endif
}

double pi_estimate(std::uint64_t hits, std::uint64_t samples) noexcept {
  return samples == 0 ? 0.0 : 4.0 * static_cast<double>(hits) / static_cast<double>(samples);
}

double pi_sigma(std::uint64_t samples) noexcept {
  constexpr double p = std::numbers::pi / 4.0;
  return samples == 0 ? 0.0 : 4.0 * std::sqrt(p * (1.0 - p) / static_cast<double>(samples));
}

}  // namespace parbench::kernels
