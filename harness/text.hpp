#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace parbench {

// items[0] + sep + items[1] + ...
inline std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(items[i]);
  }
  return out;
}

}  // namespace parbench
