#include "harness/cli/mpirun_options.hpp"

namespace parbench::cli {

void add_mpirun_options(CLI::App& cmd, backends::MpirunPlacement& placement) {
  cmd.add_option("--map-by", placement.map_by,
                 "Passed to the mpirun that parbench starts: where ranks go (slot, node, socket, "
                 "core...)");
  cmd.add_option("--bind-to", placement.bind_to,
                 "Passed to the mpirun that parbench starts: what each rank is bound to (none, "
                 "core, socket...)");
}

}  // namespace parbench::cli
