#include "harness/backends/workload.hpp"

#include <algorithm>

namespace parbench {

std::uint64_t reduction_identity(Reduction /*r*/) {
  return 0;  // an empty sum, and "no factor found"
}

std::uint64_t fold(Reduction r, std::uint64_t a, std::uint64_t b) {
  switch (r) {
    case Reduction::kSum:
      return a + b;
    case Reduction::kMinNonzero:
      if (a == 0) return b;
      if (b == 0) return a;
      return std::min(a, b);
  }
  return a;
}

}  // namespace parbench
