// The MPI backends' own settings: what the mpirun that parbench starts is asked for (--map-by,
// --bind-to, registered by harness/cli/mpirun_options.cpp).
#pragma once

#include <string>

namespace parbench::backends {

struct MpirunPlacement {
  // Where ranks go and what they are bound to, passed through as --map-by and --bind-to (empty:
  // mpirun's defaults).
  std::string map_by;
  std::string bind_to;
};

}  // namespace parbench::backends
