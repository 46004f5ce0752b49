// PURPOSE: the inner parts of count_primes_sieve (kernels/primes_sieve.cpp), named so that the
// microbenchmarks can time each loop alone and the tests can run the sieve with other tunings
// (tiny segments, no pre-sieving, everything in buckets) against the same counts.
//
// NOTES:
// - Layout: the mod-30 wheel, byte k = the numbers 30k + kWheel[b], bit b each.
// - A sieving prime p = 30P + kWheel[a] at its multiple p * q, q = kWheel[b] mod 30, is the state
//   (a, b); the next multiple is kGap[b] * P + carry(a, b) bytes further.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace parbench::kernels::sieve_detail {

inline constexpr std::uint64_t kWheel[8] = {1, 7, 11, 13, 17, 19, 23, 29};
inline constexpr std::uint64_t kGap[8] = {6, 4, 2, 4, 2, 4, 6, 2};  // kWheel[b + 1] - kWheel[b]

// The pre-sieved primes, in groups whose product (the pattern's period in bytes) stays small
// enough for L2; 0 pads a group. Groups are used in this order, a prefix of them by Tuning.
inline constexpr std::array<std::array<std::uint32_t, 4>, 15> kPresieveGroups = {{
    {7, 11, 13, 17},
    {19, 23, 29, 0},
    {31, 37, 41, 0},
    {43, 47, 53, 0},
    {59, 61, 0, 0},
    {67, 71, 0, 0},
    {73, 79, 0, 0},
    {83, 89, 0, 0},
    {97, 101, 0, 0},
    {103, 107, 0, 0},
    {109, 113, 0, 0},
    {127, 131, 0, 0},
    {137, 139, 0, 0},
    {149, 151, 0, 0},
    {157, 163, 0, 0},
}};
inline constexpr std::uint64_t kPatternBytes = 322245;  // the sum of the groups' products

struct Tuning {
  std::uint64_t segment_bytes;  // bytes per segment (30 numbers each)
  std::uint64_t block_bytes;    // the small primes' blocks within a segment
  std::uint64_t small_limit;    // primes below: block by block (the rest: over the whole segment)
  std::uint64_t bucket_factor;  // primes above bucket_factor x segment_bytes: buckets
  unsigned presieve_groups;     // how many of kPresieveGroups
};
// This machine: L1d 32 KiB, L2 512 KiB per core (lscpu). A segment is half of L2, the blocks L1;
// primes below 16384 (two turns or more per block) go block by block (8192: 2.6% slower, measured
// with whole turns; see docs/sieve.md).
inline constexpr Tuning kDefaultTuning{256 * 1024, 32 * 1024, 16 * 1024, 1, 15};

struct Cursor {
  std::uint64_t index;  // byte of the next multiple, counted from the slice's first byte
  std::uint32_t P;      // p / 30
  std::uint8_t a, b;    // wheel positions of p and of the next q
};

// Fills cells[0, length) with the first `groups` patterns ANDed, for the bytes starting at absolute
// byte first_byte.
void presieve(std::uint64_t first_byte, std::uint8_t* cells, std::uint64_t length, unsigned groups);
// The smallest prime candidate that the first `groups` patterns leave to sieving.
std::uint32_t first_unpresieved_prime(unsigned groups);
// The cursor of p's first multiple p * q >= max(p^2, lo) with q coprime to 30; false if >= hi.
bool first_multiple(std::uint64_t p, std::uint64_t lo, std::uint64_t hi, std::uint64_t first_byte,
                    Cursor& c);
// Crosses off the multiples from byte i in cells[0, length): one at a time (steps) or eight per
// turn of the wheel (turns). Returns the next multiple's byte (>= length); b follows.
std::uint64_t cross_off_steps(std::uint64_t i, std::uint64_t P, unsigned a, unsigned& b,
                              std::uint8_t* cells, std::uint64_t length);
std::uint64_t cross_off_turns(std::uint64_t i, std::uint64_t P, unsigned a, unsigned& b,
                              std::uint8_t* cells, std::uint64_t length);
// Whole turns only: every turn that starts before `length` is crossed off entirely, reaching up to
// p - 1 bytes past it (cells must hold them). Returns the next turn's first byte; the state stays.
std::uint64_t cross_off_whole_turns(std::uint64_t i, std::uint64_t P, unsigned a, unsigned b,
                                    std::uint8_t* cells, std::uint64_t length);
// Set bits in cells[0, length).
std::uint64_t count_bits(const std::uint8_t* cells, std::uint64_t length);

// The bucket sieve of the large sieving primes: each waits in the bucket of the segment that holds
// its next multiple. A ring of buckets covers the farthest jump of the largest prime.
class Buckets {
 public:
  // segments of segment_bytes over a slice of `bytes`; primes up to largest_prime
  Buckets(std::uint64_t segment_bytes, std::uint64_t bytes, std::uint64_t largest_prime);
  // c.index in the current segment or later (within the ring's reach)
  void add(const Cursor& c);
  // Crosses off the multiples in segment `segment` (cells[0, length)) and moves each prime on.
  void sieve_segment(std::uint64_t segment, std::uint8_t* cells, std::uint64_t length);

 private:
  struct Entry {
    std::uint32_t P;
    std::uint32_t offset;  // byte within its segment
    std::uint8_t state;    // a * 8 + b
  };
  std::uint64_t segment_bytes_;
  std::uint64_t bytes_;
  std::vector<std::vector<Entry>> ring_;
  std::vector<Entry> work_;
};

// count_primes_sieve with a tuning of choice.
std::uint64_t count_primes(std::uint64_t lo, std::uint64_t hi,
                           const std::vector<std::uint32_t>& primes, const Tuning& tuning);

}  // namespace parbench::kernels::sieve_detail
