// How work is cut into slices. One place, unit-tested, used by every backend.
#pragma once

#include <cstdint>

namespace parbench {

struct Slice {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::uint64_t size() const { return end - begin; }
};

// The index-th of `parts` contiguous blocks of [0, size): sizes differ by at most one, the larger
// blocks first, and together they cover the range exactly once.
constexpr Slice static_block(std::uint64_t size, std::uint64_t parts, std::uint64_t index) {
  const std::uint64_t base = size / parts;
  const std::uint64_t extra = size % parts;
  const std::uint64_t begin = index * base + (index < extra ? index : extra);
  return {begin, begin + base + (index < extra ? 1 : 0)};
}

}  // namespace parbench
