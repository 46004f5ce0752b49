// A named figure that a kernel or a mechanism measured during one repetition (looks at a stop flag,
// stop latency). The generic record carries them as a list, so it never grows a field per kernel;
// the CSV writes them into one column (results/README.md).
#pragma once

#include <string>
#include <vector>

namespace parbench {

struct Measurement {
  std::string name;  // [a-z0-9_]+, unique within a row
  double value = 0.0;
};
using Measurements = std::vector<Measurement>;

}  // namespace parbench
