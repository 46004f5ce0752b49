#include "kernels/think.hpp"

namespace parbench::kernels {

std::uint64_t think(std::uint64_t x, std::uint64_t steps) noexcept {
  for (std::uint64_t i = 0; i < steps; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;  // Knuth's MMIX constants
  }
  return x;
}

}  // namespace parbench::kernels
