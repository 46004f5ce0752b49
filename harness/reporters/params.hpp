// A kernel's parameters as the CSV's params column writes them: "key=value;key=value".
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

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

// Every key=value pair in order (a pair without '=' has an empty value).
inline std::vector<std::pair<std::string, std::string>> param_pairs(const std::string& params) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (std::size_t start = 0; start < params.size();) {
    const std::size_t end = std::min(params.find(';', start), params.size());
    const std::string pair = params.substr(start, end - start);
    const std::size_t eq = pair.find('=');
    pairs.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
    start = end + 1;
  }
  return pairs;
}

}  // namespace parbench
