// A kernel's parameters as the CSV's params column writes them: "key=value;key=value".
#pragma once

#include <algorithm>
#include <string>

namespace parbench {

// The value of `key` in `params`, empty when absent.
inline std::string param(const std::string& params, const std::string& key) {
  const std::string prefix = key + "=";
  for (std::size_t start = 0; start <= params.size();) {
    const std::size_t end = std::min(params.find(';', start), params.size());
    if (params.compare(start, prefix.size(), prefix) == 0)
      return params.substr(start + prefix.size(), end - start - prefix.size());
    start = end + 1;
  }
  return "";
}

}  // namespace parbench
