// PURPOSE: a worker's own work between two increments of a shared counter (count --think-ns):
// the knob that takes contention from "every worker hammers the lock" to "nobody meets anybody".
//
// NOTES: A chain of dependent 64-bit multiply-adds (a linear congruential step). Each step needs
// the previous one, so the chain cannot be vectorised or overlapped, and its length is what it
// costs; the compiler has no closed form for it, and the caller consumes the end of the chain, so
// none of it can be dropped. How many steps make a nanosecond is measured where it runs, not
// assumed.
#pragma once

#include <cstdint>

namespace parbench::kernels {

// `steps` linear congruential steps from x; returns where the chain ends.
std::uint64_t think(std::uint64_t x, std::uint64_t steps) noexcept;

}  // namespace parbench::kernels
