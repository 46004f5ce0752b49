// The MPI backends' own settings and options: what the mpirun that parbench starts is asked for
// (--map-by, --bind-to). The MPI family's entries name mpirun_options(), so that its options are
// registered once; compiled in every build, so that a build without MPI still takes them and says
// why its MPI backends cannot run.
#pragma once

#include <memory>
#include <string>

#include "harness/backends/backend_options.hpp"

namespace parbench::backends {

struct MpirunPlacement {
  // Where ranks go and what they are bound to, passed through as --map-by and --bind-to (empty:
  // mpirun's defaults).
  std::string map_by;
  std::string bind_to;
};

std::unique_ptr<BackendOptions> mpirun_options();

}  // namespace parbench::backends
