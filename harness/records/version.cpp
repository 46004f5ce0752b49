#include "harness/records/version.hpp"

#include <fmt/format.h>

#include "parbench_git.hpp"

namespace parbench {

std::string parbench_version() {
  return fmt::format("{} ({})", PARBENCH_VERSION, PARBENCH_GIT_SHA);
}

}  // namespace parbench
