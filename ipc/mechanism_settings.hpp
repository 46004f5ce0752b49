// What every kind of mechanism (stop flags, shared counters) may take from the command line, and
// whether one can run here. A variant reads its own field and ignores the rest.
#pragma once

#include <string>

namespace parbench::ipc {

struct MechanismSettings {
  std::string redis_url;  // empty: start a private redis-server
};

// Whether a mechanism can run here, and the detail `parbench list` shows.
struct Availability {
  bool runnable = true;
  std::string detail;
};

}  // namespace parbench::ipc
