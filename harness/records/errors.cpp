#include "harness/records/errors.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace parbench {

InternalError::InternalError(const std::string& what, const char* file, int line)
    : std::logic_error(fmt::format("internal error: {} (at {}:{})", what,
                                   std::filesystem::path(file).filename().string(), line)) {}

std::string failure_text(const std::exception& e) {
  if (dynamic_cast<const InternalError*>(&e) != nullptr) return e.what();
  if (dynamic_cast<const std::logic_error*>(&e) != nullptr)
    return fmt::format("internal error: {}", e.what());
  return e.what();
}

}  // namespace parbench
