// PURPOSE: the rows of the book's shared numpy array ("Sharing numpy data with multiprocessing"):
// a worker checks that a row still holds the default and writes it, either with its own id (the
// book's process id, which the census counts) or with random doubles.
//
// NOTES: Elements are 8-byte words; a random row holds the bits of doubles in [0, 1). Element
// (row, col)'s double is a pure function of (seed, row, col): a SplitMix64 finaliser over a Weyl
// sequence that starts at the row's own origin, so every row is its own stream and the array is the
// same whatever the backend, the split and the order of the rows (the book's "random numbers in
// parallel systems", done right). row_hash() mixes the position of every word, so that two rows
// with the same words in another order, or a row moved to another index, hash differently.
#pragma once

#include <cstdint>
#include <span>

namespace parbench::kernels {

// Whether every word of `row` equals `value`.
bool row_holds(std::span<const std::uint64_t> row, std::uint64_t value) noexcept;

// Writes `id` into every word of `row`.
void fill_row_with_id(std::span<std::uint64_t> row, std::uint64_t id) noexcept;

// The bits of the double in [0, 1) at (row, col) of the random array seeded by `seed`.
std::uint64_t random_element(std::uint64_t seed, std::uint64_t row, std::uint64_t col) noexcept;
// Writes row `row` of the random array: random_element(seed, row, c) for every column c.
void fill_row_random(std::span<std::uint64_t> row, std::uint64_t seed,
                     std::uint64_t index) noexcept;

// A 64-bit hash of a row's words in order.
std::uint64_t row_hash(std::span<const std::uint64_t> row) noexcept;

}  // namespace parbench::kernels
