#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <utility>

#include "kernels/primes.hpp"
#include "kernels/primes_sieve_detail.hpp"

// The segmented sieve behind count_primes_sieve. Its design follows the one primesieve
// (Kim Walisch, github.com/kimwalisch/primesieve) documents; the code is this project's own.
//
// - The mod-30 wheel, 30 numbers per byte: byte k holds the eight numbers 30k + r with r coprime to
//   30 (r = 1, 7, 11, 13, 17, 19, 23, 29), one bit each; multiples of 2, 3 and 5 take no room. A
//   sieving prime p crosses off only p * q with q coprime to 30, eight multiples in every 30p
//   numbers, and one turn of the wheel moves it exactly p bytes.
// - Pre-sieving: the multiples of 7 .. 163 are not crossed off one by one. Each group of those
//   primes has a byte pattern whose period is the product of the group (p bytes for one prime),
//   built once per process; a segment starts as the AND of the patterns at its offset.
// - Segments of 256 KiB (half this machine's L2). Sieving primes with many multiples per segment
//   (p < Tuning::small_limit) work through it in L1-sized blocks, the others over the whole
//   segment, a whole turn of eight stores at fixed offsets per step. The last turn is finished past
//   the block's or segment's end (into the next block, pre-sieved ahead, or into bytes kept for the
//   next segment), so a prime's place in the wheel never changes and its visit has no unpredictable
//   exit. Those with fewer multiples than segments (p > bucket_factor x the segment, in bytes)
//   wait in the bucket of the segment their next multiple falls in, so no segment visits a prime
//   with no multiple in it.
// - Counting: popcount of 64-bit words (8 bits a byte, 240 numbers a word).

namespace parbench::kernels {
namespace sieve_detail {
namespace {

// Residue r coprime to 30 -> its bit, -1 otherwise.
constexpr std::array<int, 30> bit_of_residue() {
  std::array<int, 30> bits{};
  for (int& b : bits) b = -1;
  for (int k = 0; k < 8; ++k) bits[kWheel[k]] = k;
  return bits;
}
constexpr std::array<int, 30> kBitOf = bit_of_residue();

// The step tables of the 64 states (a, b): p = 30P + kWheel[a], the multiple m = p * q with
// q = kWheel[b] mod 30. Crossing m off clears bit kClear[a][b] of byte m / 30; the next multiple
// (q + kGap[b]) is kGap[b] * P + kCarry[a][b] bytes further.
struct StepTables {
  std::uint8_t clear[8][8];  // mask with m's bit cleared
  std::uint8_t carry[8][8];
};
constexpr StepTables step_tables() {
  StepTables t{};
  for (int a = 0; a < 8; ++a) {
    for (int b = 0; b < 8; ++b) {
      const std::uint64_t r = kWheel[a] * kWheel[b] % 30;  // m mod 30
      t.clear[a][b] = static_cast<std::uint8_t>(~(1u << kBitOf[r]));
      t.carry[a][b] = static_cast<std::uint8_t>((r + kWheel[a] * kGap[b]) / 30);
    }
  }
  return t;
}
constexpr StepTables kStep = step_tables();

// One pre-sieving pattern: bytes [0, period) of the wheel with the multiples of its primes cleared;
// it repeats every `period` bytes (30 x period numbers, a multiple of each prime).
struct Pattern {
  std::vector<std::uint8_t> bytes;
};

std::vector<Pattern> build_patterns() {
  std::vector<Pattern> patterns;
  for (const auto& group : kPresieveGroups) {
    std::uint64_t period = 1;
    for (const std::uint32_t p : group)
      if (p != 0) period *= p;
    Pattern pattern{std::vector<std::uint8_t>(period, 0xFF)};
    for (const std::uint32_t p : group) {
      if (p == 0) continue;
      // every odd multiple p * q with q coprime to 30 below 30 x period, the number itself included
      for (std::uint64_t m = p; m < 30 * period; m += 2 * p) {
        const int bit = kBitOf[m % 30];
        if (bit >= 0) pattern.bytes[m / 30] &= static_cast<std::uint8_t>(~(1u << bit));
      }
    }
    patterns.push_back(std::move(pattern));
  }
  return patterns;
}

const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> built = build_patterns();  // thread-safe, once per process
  return built;
}

}  // namespace

void presieve(std::uint64_t first_byte, std::uint8_t* cells, std::uint64_t length,
              unsigned groups) {
  const auto& all = patterns();
  groups = std::min<unsigned>(groups, static_cast<unsigned>(all.size()));
  if (groups == 0) {
    std::memset(cells, 0xFF, length);
    return;
  }
  // Four patterns per pass over the segment: the first pass writes, the others AND.
  for (unsigned g = 0; g < groups; g += 4) {
    const unsigned n = std::min(4u, groups - g);
    const std::uint8_t* base[4];
    std::uint64_t period[4], offset[4];
    for (unsigned j = 0; j < 4; ++j) {
      const Pattern& pat = all[g + std::min(j, n - 1)];  // repeat the last: x & x = x
      base[j] = pat.bytes.data();
      period[j] = pat.bytes.size();
      offset[j] = first_byte % period[j];
    }
    for (std::uint64_t pos = 0; pos < length;) {
      std::uint64_t chunk = length - pos;
      for (unsigned j = 0; j < 4; ++j) chunk = std::min(chunk, period[j] - offset[j]);
      const std::uint8_t* __restrict p0 = base[0] + offset[0];
      const std::uint8_t* __restrict p1 = base[1] + offset[1];
      const std::uint8_t* __restrict p2 = base[2] + offset[2];
      const std::uint8_t* __restrict p3 = base[3] + offset[3];
      std::uint8_t* __restrict out = cells + pos;
      if (g == 0) {
        for (std::uint64_t i = 0; i < chunk; ++i) out[i] = p0[i] & p1[i] & p2[i] & p3[i];
      } else {
        for (std::uint64_t i = 0; i < chunk; ++i) out[i] &= p0[i] & p1[i] & p2[i] & p3[i];
      }
      pos += chunk;
      for (unsigned j = 0; j < 4; ++j) {
        offset[j] += chunk;
        if (offset[j] == period[j]) offset[j] = 0;
      }
    }
  }
}

std::uint32_t first_unpresieved_prime(unsigned groups) {
  std::uint32_t largest = 5;
  for (unsigned g = 0; g < groups && g < kPresieveGroups.size(); ++g)
    for (const std::uint32_t p : kPresieveGroups[g]) largest = std::max(largest, p);
  return largest + 1;  // the sieving primes start at the first prime above
}

bool first_multiple(std::uint64_t p, std::uint64_t lo, std::uint64_t hi, std::uint64_t first_byte,
                    Cursor& c) {
  std::uint64_t q = std::max(p, lo / p + (lo % p != 0));  // p * q >= p^2 and >= lo
  while (kBitOf[q % 30] < 0) ++q;                         // q coprime to 30
  std::uint64_t m = 0;
  if (__builtin_mul_overflow(p, q, &m) || m >= hi) return false;
  c.index = m / 30 - first_byte;
  c.P = static_cast<std::uint32_t>(p / 30);
  c.a = static_cast<std::uint8_t>(kBitOf[p % 30]);
  c.b = static_cast<std::uint8_t>(kBitOf[q % 30]);
  return true;
}

std::uint64_t cross_off_steps(std::uint64_t i, std::uint64_t P, unsigned a, unsigned& b,
                              std::uint8_t* cells, std::uint64_t length) {
  const std::uint8_t* clear = kStep.clear[a];
  const std::uint8_t* carry = kStep.carry[a];
  while (i < length) {
    cells[i] &= clear[b];
    i += P * kGap[b] + carry[b];
    b = (b + 1) & 7;
  }
  return i;
}

namespace {

// One turn of the wheel from state (a, b), as constants: the k-th multiple lies at
// P * gaps[k] + carries[k] bytes from the first and clears masks[k].
struct Turn {
  std::uint64_t gaps[8];
  std::uint64_t carries[8];
  std::uint8_t masks[8];
};
constexpr Turn turn(unsigned a, unsigned b) {
  Turn t{};
  for (unsigned k = 0; k < 8; ++k) {
    const unsigned w = (b + k) & 7;
    t.masks[k] = kStep.clear[a][w];
    if (k + 1 < 8) {
      t.gaps[k + 1] = t.gaps[k] + kGap[w];
      t.carries[k + 1] = t.carries[k] + kStep.carry[a][w];
    }
  }
  return t;
}

// One turn of the prime 30P + kWheel[A] from state (A, B): its eight multiples' offsets from the
// turn's first, computed once a visit, and the turn's eight AND-stores with the masks as
// immediates.
template <unsigned A, unsigned B>
struct TurnOf {
  static constexpr Turn t = turn(A, B);
  explicit TurnOf(std::uint64_t P)
      : o1(P * t.gaps[1] + t.carries[1]),
        o2(P * t.gaps[2] + t.carries[2]),
        o3(P * t.gaps[3] + t.carries[3]),
        o4(P * t.gaps[4] + t.carries[4]),
        o5(P * t.gaps[5] + t.carries[5]),
        o6(P * t.gaps[6] + t.carries[6]),
        o7(P * t.gaps[7] + t.carries[7]),
        p(30 * P + kWheel[A]) {}
  [[gnu::always_inline]] void cross(std::uint8_t* cells, std::uint64_t i) const {
    cells[i] &= t.masks[0];
    cells[i + o1] &= t.masks[1];
    cells[i + o2] &= t.masks[2];
    cells[i + o3] &= t.masks[3];
    cells[i + o4] &= t.masks[4];
    cells[i + o5] &= t.masks[5];
    cells[i + o6] &= t.masks[6];
    cells[i + o7] &= t.masks[7];
  }
  const std::uint64_t o1, o2, o3, o4, o5, o6, o7;
  const std::uint64_t p;  // one turn, in bytes
};

// Crosses off from state (A, B) with immediate masks at offsets computed once: whole turns of
// eight AND-stores while the turn's last multiple is inside, then the multiples of the last turn
// that are. Returns the next multiple's byte (>= length) and its wheel position in b.
template <unsigned A, unsigned B>
std::uint64_t turns(std::uint64_t i, std::uint64_t P, std::uint8_t* cells, std::uint64_t length,
                    unsigned& b) {
  const TurnOf<A, B> turn_of(P);
  const auto [o1, o2, o3, o4, o5, o6, o7, p] = turn_of;
  static constexpr Turn t = TurnOf<A, B>::t;
  const std::uint64_t end = length > o7 ? length - o7 : 0;
  for (; i < end; i += p) turn_of.cross(cells, i);
  // i + o7 >= length: at most seven multiples left in this turn
  // clang-format off
  if (i >= length)      { b = B;           return i; }
  cells[i] &= t.masks[0];
  if (i + o1 >= length) { b = (B + 1) & 7; return i + o1; }
  cells[i + o1] &= t.masks[1];
  if (i + o2 >= length) { b = (B + 2) & 7; return i + o2; }
  cells[i + o2] &= t.masks[2];
  if (i + o3 >= length) { b = (B + 3) & 7; return i + o3; }
  cells[i + o3] &= t.masks[3];
  if (i + o4 >= length) { b = (B + 4) & 7; return i + o4; }
  cells[i + o4] &= t.masks[4];
  if (i + o5 >= length) { b = (B + 5) & 7; return i + o5; }
  cells[i + o5] &= t.masks[5];
  if (i + o6 >= length) { b = (B + 6) & 7; return i + o6; }
  cells[i + o6] &= t.masks[6];
  b = (B + 7) & 7;
  return i + o7;
  // clang-format on
}

using Turns = std::uint64_t (*)(std::uint64_t, std::uint64_t, std::uint8_t*, std::uint64_t,
                                unsigned&);
template <std::size_t... S>
constexpr std::array<Turns, 64> turns_table(std::index_sequence<S...>) {
  return {&turns<S / 8, S % 8>...};
}
constexpr std::array<Turns, 64> kTurns = turns_table(std::make_index_sequence<64>{});

// Sieving primes kept in 64 lists by state (a, b), as primesieve's EratMedium does: a list's primes
// all start in the same code, so the branch into it is predicted, where a prime-by-prime dispatch
// on a random state mispredicts about once a visit. After its visit each prime moves to the list
// of its new state.
struct StateLists {
  std::array<std::vector<Cursor>, 64> lists;  // this window's primes, by state
  std::array<std::vector<Cursor>, 64> next;   // where they go after it, by their new state

  void add(const Cursor& c) { lists[c.a * 8 + c.b].push_back(c); }
  // Crosses off every prime's multiples in the window cells[0, length), which is the slice's
  // bytes [base, base + length); primes whose next multiple lies past the window stay as they are.
  void cross_off(std::uint64_t base, std::uint8_t* cells, std::uint64_t length);
};

template <unsigned S>
void visit_state(StateLists& self, std::uint64_t base, std::uint8_t* cells, std::uint64_t length) {
  constexpr unsigned A = S / 8, B = S % 8;
  for (const Cursor& c : self.lists[S]) {
    if (c.index >= base + length) {
      self.next[S].push_back(c);
      continue;
    }
    unsigned b = B;
    const std::uint64_t next = turns<A, B>(c.index - base, c.P, cells, length, b);
    self.next[A * 8 + b].push_back(
        Cursor{next + base, c.P, static_cast<std::uint8_t>(A), static_cast<std::uint8_t>(b)});
  }
}

using VisitState = void (*)(StateLists&, std::uint64_t, std::uint8_t*, std::uint64_t);
template <std::size_t... S>
constexpr std::array<VisitState, 64> visit_table(std::index_sequence<S...>) {
  return {&visit_state<S>...};
}
constexpr std::array<VisitState, 64> kVisitState = visit_table(std::make_index_sequence<64>{});

void StateLists::cross_off(std::uint64_t base, std::uint8_t* cells, std::uint64_t length) {
  for (unsigned s = 0; s < 64; ++s) {
    if (!lists[s].empty()) kVisitState[s](*this, base, cells, length);
  }
  for (unsigned s = 0; s < 64; ++s) {
    lists[s].swap(next[s]);
    next[s].clear();  // keeps its capacity for the next window
  }
}

// Whole turns only, from state (A, B): the multiples of a turn that starts in the window are all
// crossed off, those past `length` in the bytes after it (up to p - 1 bytes, which the caller
// keeps for the next window). So the state never changes: a prime stays in its list, and no branch
// depends on where in a turn the window ends (the partial turn's exit in `turns` mispredicts
// about once a visit). Inlined into its visit loop (an out-of-line call per prime and window costs
// about 4% of pi(10^10), measured).
template <unsigned A, unsigned B>
[[gnu::always_inline]] inline std::uint64_t whole_turns(std::uint64_t i, std::uint64_t P,
                                                        std::uint8_t* cells, std::uint64_t length) {
  const TurnOf<A, B> turn_of(P);
  for (; i < length; i += turn_of.p) turn_of.cross(cells, i);
  return i;
}

using WholeTurns = std::uint64_t (*)(std::uint64_t, std::uint64_t, std::uint8_t*, std::uint64_t);
template <std::size_t... S>
constexpr std::array<WholeTurns, 64> whole_turns_table(std::index_sequence<S...>) {
  return {&whole_turns<S / 8, S % 8>...};
}
constexpr std::array<WholeTurns, 64> kWholeTurns =
    whole_turns_table(std::make_index_sequence<64>{});

// Sieving primes that cross off whole turns, in 64 lists by their state, which never changes:
// each is visited in place.
struct WholeTurnLists {
  std::array<std::vector<Cursor>, 64> lists;

  void add(const Cursor& c) { lists[c.a * 8 + c.b].push_back(c); }
  // Every turn that starts in the window cells[0, length), the slice's bytes [base, base + length).
  void cross_off(std::uint64_t base, std::uint8_t* cells, std::uint64_t length);
};

template <unsigned S>
void visit_whole(std::vector<Cursor>& list, std::uint64_t base, std::uint8_t* cells,
                 std::uint64_t length) {
  for (Cursor& c : list)
    c.index = base + whole_turns<S / 8, S % 8>(c.index - base, c.P, cells, length);
}

using VisitWhole = void (*)(std::vector<Cursor>&, std::uint64_t, std::uint8_t*, std::uint64_t);
template <std::size_t... S>
constexpr std::array<VisitWhole, 64> visit_whole_table(std::index_sequence<S...>) {
  return {&visit_whole<S>...};
}
constexpr std::array<VisitWhole, 64> kVisitWhole =
    visit_whole_table(std::make_index_sequence<64>{});

void WholeTurnLists::cross_off(std::uint64_t base, std::uint8_t* cells, std::uint64_t length) {
  for (unsigned s = 0; s < 64; ++s)
    if (!lists[s].empty()) kVisitWhole[s](lists[s], base, cells, length);
}

}  // namespace

std::uint64_t cross_off_turns(std::uint64_t i, std::uint64_t P, unsigned a, unsigned& b,
                              std::uint8_t* cells, std::uint64_t length) {
  return kTurns[a * 8 + b](i, P, cells, length, b);
}

std::uint64_t cross_off_whole_turns(std::uint64_t i, std::uint64_t P, unsigned a, unsigned b,
                                    std::uint8_t* cells, std::uint64_t length) {
  return kWholeTurns[a * 8 + b](i, P, cells, length);
}

std::uint64_t count_bits(const std::uint8_t* cells, std::uint64_t length) {
  std::uint64_t ones = 0;
  std::uint64_t i = 0;
  for (; i + 8 <= length; i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, cells + i, sizeof word);
    ones += static_cast<std::uint64_t>(std::popcount(word));
  }
  for (; i < length; ++i) ones += static_cast<std::uint64_t>(std::popcount(cells[i]));
  return ones;
}

std::uint64_t count_primes(std::uint64_t lo, std::uint64_t hi,
                           const std::vector<std::uint32_t>& primes, const Tuning& tuning) {
  if (hi <= lo) return 0;
  const unsigned groups =
      std::min<unsigned>(tuning.presieve_groups, static_cast<unsigned>(kPresieveGroups.size()));
  const std::uint32_t first_sieved = first_unpresieved_prime(groups);
  // 2, 3, 5 and the pre-sieved primes: their own bits are absent or cleared by the patterns.
  std::uint64_t count = 0;
  for (const std::uint32_t p : {2u, 3u, 5u}) count += (lo <= p && p < hi) ? 1 : 0;
  for (unsigned g = 0; g < groups; ++g)
    for (const std::uint32_t p : kPresieveGroups[g]) count += (p != 0 && lo <= p && p < hi) ? 1 : 0;

  const std::uint64_t first_byte = lo / 30;
  const std::uint64_t end_byte = hi / 30 + (hi % 30 != 0);  // no overflow near 2^64
  const std::uint64_t bytes = end_byte - first_byte;
  const std::uint64_t limit = isqrt(hi - 1);
  const std::uint64_t segment_bytes = std::max<std::uint64_t>(tuning.segment_bytes, 8);
  const std::uint64_t block_bytes = std::max<std::uint64_t>(tuning.block_bytes, 8);

  // The sieving primes join when the segment that holds their square (or the slice's start) comes:
  // before, they have nothing to cross off, and a cursor that joins there is never far ahead.
  // Primes below the segment's size cross off whole turns (`whole_*`): their last turn reaches at
  // most `reach` bytes past its window, into the next block or, from a segment's end, into bytes
  // kept after it (`carry`) and ANDed into the next segment once that is pre-sieved. Larger ones
  // (under tunings with bucket_factor > 1 or small_limit above the segment, or in a slice shorter
  // than a segment) stop at the window's end (`partial_*`), so that the bytes kept stay within
  // one segment.
  WholeTurnLists whole_small, whole_medium;
  StateLists partial_small, partial_medium;
  Buckets buckets(segment_bytes, bytes, limit);
  auto next_prime = std::lower_bound(primes.begin(), primes.end(), first_sieved);
  // One segment, rounded up to whole words (zero bytes past the slice for the popcount), then the
  // bytes that the whole turns reach past it.
  const std::uint64_t words = (std::min(segment_bytes, bytes) + 7) / 8 * 8;
  const std::uint64_t reach = std::min({segment_bytes, limit + 1, words});  // > every whole p
  const std::uint64_t small_reach = std::min(reach, tuning.small_limit);    // > every small one
  std::vector<std::uint8_t> segment(words + reach, 0);
  std::vector<std::uint8_t> carry(reach, 0xFF);  // what the last segment crossed off in this one
  std::uint8_t* const cells = segment.data();
  for (std::uint64_t base = 0; base < bytes; base += segment_bytes) {
    const std::uint64_t length = std::min(segment_bytes, bytes - base);
    for (; next_prime != primes.end() && *next_prime <= limit; ++next_prime) {
      const std::uint64_t p = *next_prime;
      if (p * p / 30 >= first_byte + base + length) break;
      Cursor c{};
      if (!first_multiple(p, lo, hi, first_byte, c)) continue;
      const bool whole = p < reach;
      if (p < tuning.small_limit) {
        whole ? whole_small.add(c) : partial_small.add(c);
      } else if (p <= tuning.bucket_factor * segment_bytes) {
        whole ? whole_medium.add(c) : partial_medium.add(c);
      } else {
        buckets.add(c);
      }
    }

    std::fill(cells + length, cells + length + reach, std::uint8_t{0xFF});
    for (std::uint64_t k = length; k < reach; ++k) cells[k] &= carry[k];  // only if length < reach
    std::uint64_t presieved = 0;  // bytes [0, presieved) are pre-sieved, the carry ANDed in
    for (std::uint64_t block = 0; block < length; block += block_bytes) {
      const std::uint64_t block_length = std::min(block_bytes, length - block);
      const std::uint64_t block_base = base + block;
      // Pre-sieved block by block just ahead of the small primes (as far as their last turns
      // reach), so that they find it in L1.
      const std::uint64_t needed = std::min(length, block + block_length + small_reach);
      while (presieved < needed) {
        const std::uint64_t n = std::min(block_bytes, length - presieved);
        presieve(first_byte + base + presieved, cells + presieved, n, groups);
        for (std::uint64_t k = presieved; k < std::min(presieved + n, reach); ++k)
          cells[k] &= carry[k];
        presieved += n;
      }
      whole_small.cross_off(block_base, cells + block, block_length);
      partial_small.cross_off(block_base, cells + block, block_length);
    }
    whole_medium.cross_off(base, cells, length);
    partial_medium.cross_off(base, cells, length);
    std::copy(cells + length, cells + length + reach, carry.begin());
    std::fill(cells + length, cells + words, std::uint8_t{0});  // past the slice: not counted
    buckets.sieve_segment(base / segment_bytes, cells, length);

    // The numbers outside [lo, hi) in the slice's first and last bytes, and 1.
    if (base == 0) {
      for (unsigned k = 0; k < 8; ++k)
        if (kWheel[k] < lo - 30 * first_byte) cells[0] &= static_cast<std::uint8_t>(~(1u << k));
      if (first_byte == 0) cells[0] &= 0xFE;  // 1 is not prime
    }
    if (base + length == bytes) {
      const std::uint64_t last = end_byte - 1;
      for (unsigned k = 0; k < 8; ++k)
        if (kWheel[k] >= hi - 30 * last)  // 30 * last + 29 may pass 2^64: compare without it
          cells[length - 1] &= static_cast<std::uint8_t>(~(1u << k));
    }
    count += count_bits(cells, (length + 7) / 8 * 8);
  }
  return count;
}

// ---- the bucket sieve ----

Buckets::Buckets(std::uint64_t segment_bytes, std::uint64_t bytes, std::uint64_t largest_prime)
    : segment_bytes_(segment_bytes), bytes_(bytes) {
  // One step moves a cursor at most 6 * (p / 30) + 6 bytes, from inside the current segment: it
  // lands at most 1 + that / segment_bytes segments ahead. Joining cursors are within p / 4 bytes.
  const std::uint64_t reach = 6 * (largest_prime / 30) + 6 + largest_prime / 4;
  ring_.resize(2 + reach / segment_bytes);
}

void Buckets::add(const Cursor& c) {
  if (c.index >= bytes_) return;  // no multiple in the slice
  const std::uint64_t segment = c.index / segment_bytes_;
  ring_[segment % ring_.size()].push_back(
      Entry{c.P, static_cast<std::uint32_t>(c.index % segment_bytes_),
            static_cast<std::uint8_t>(c.a * 8 + c.b)});
}

void Buckets::sieve_segment(std::uint64_t segment, std::uint8_t* cells, std::uint64_t length) {
  work_.clear();
  work_.swap(ring_[segment % ring_.size()]);
  for (const Entry& e : work_) {
    const unsigned a = e.state >> 3;
    unsigned b = e.state & 7;
    const std::uint64_t P = e.P;
    const std::uint8_t* clear = kStep.clear[a];
    const std::uint8_t* carry = kStep.carry[a];
    std::uint64_t i = e.offset;
    while (i < length) {  // a few multiples at most: p exceeds the segment
      cells[i] &= clear[b];
      i += P * kGap[b] + carry[b];
      b = (b + 1) & 7;
    }
    const std::uint64_t next = segment * segment_bytes_ + i;  // absolute byte in the slice
    if (next >= bytes_) continue;
    ring_[(next / segment_bytes_) % ring_.size()].push_back(
        Entry{e.P, static_cast<std::uint32_t>(next % segment_bytes_),
              static_cast<std::uint8_t>(a * 8 + b)});
  }
}

}  // namespace sieve_detail

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
  // the bit sieve used to find them, the primes (4 bytes) and their cursors (16, twice where the
  // lists by state are double-buffered), one segment with the bytes kept after it (at most as many
  // again) and their copy, the patterns
  return static_cast<std::uint64_t>(limit / 16 + prime_count * 36 +
                                    3 * sieve_detail::kDefaultTuning.segment_bytes +
                                    sieve_detail::kPatternBytes);
}

std::uint64_t count_primes_sieve(std::uint64_t lo, std::uint64_t hi,
                                 const std::vector<std::uint32_t>& primes) {
  return sieve_detail::count_primes(lo, hi, primes, sieve_detail::kDefaultTuning);
}

std::uint64_t count_primes_sieve(std::uint64_t lo, std::uint64_t hi) {
  return count_primes_sieve(lo, hi, sieving_primes(hi));
}

}  // namespace parbench::kernels
