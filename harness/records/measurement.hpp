// A named figure that a kernel or a mechanism measured during one repetition (looks at a stop flag,
// stop latency). The generic record carries them as a list, so it never grows a field per kernel;
// the CSV writes them into one column (results/README.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parbench {

struct Measurement {
  std::string name;  // [a-z0-9_]+, unique within a row
  double value = 0.0;
};
using Measurements = std::vector<Measurement>;

// The value named `name`, if the list has it: how the reporters read a kernel's or a backend's
// own figures (lost_updates, redelivered) without a field of their own on the record.
inline std::optional<double> find_measurement(const Measurements& list, std::string_view name) {
  for (const auto& m : list)
    if (m.name == name) return m.value;
  return std::nullopt;
}

}  // namespace parbench
