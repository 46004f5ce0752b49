// How backends whose workers may sit on several hosts record where they were.
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

namespace parbench::backends {

// Equal neighbours counted: {"n1", "n1", "n2"} gives "n1*2;n2*1" (worker_hosts, worker_cpus).
inline std::string run_length(const std::vector<std::string>& texts) {
  std::string out;
  for (std::size_t i = 0; i < texts.size();) {
    std::size_t j = i;
    while (j < texts.size() && texts[j] == texts[i]) ++j;
    if (!out.empty()) out += ';';
    out += fmt::format("{}*{}", texts[i], j - i);
    i = j;
  }
  return out;
}

}  // namespace parbench::backends
