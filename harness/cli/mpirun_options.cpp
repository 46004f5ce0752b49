#include "harness/cli/mpirun_options.hpp"

namespace parbench::cli {

void add_mpirun_options(CLI::App& cmd, LaunchOptions& launch) {
  cmd.add_option("--map-by", launch.map_by,
                 "Passed to the mpirun that parbench starts: where ranks go (slot, node, socket, "
                 "core...)");
  cmd.add_option("--bind-to", launch.bind_to,
                 "Passed to the mpirun that parbench starts: what each rank is bound to (none, "
                 "core, socket...)");
}

}  // namespace parbench::cli
