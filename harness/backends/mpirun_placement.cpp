#include "harness/backends/mpirun_placement.hpp"

#include <CLI/App.hpp>

namespace parbench::backends {
namespace {

class MpirunOptions final : public OptionsOf<MpirunPlacement> {
 public:
  void add_to(CLI::App& cmd) override {
    cmd.add_option("--map-by", settings.map_by,
                   "Passed to the mpirun that parbench starts: where ranks go (slot, node, socket, "
                   "core...)");
    cmd.add_option("--bind-to", settings.bind_to,
                   "Passed to the mpirun that parbench starts: what each rank is bound to (none, "
                   "core, socket...)");
  }
};

}  // namespace

std::unique_ptr<BackendOptions> mpirun_options() { return std::make_unique<MpirunOptions>(); }

}  // namespace parbench::backends
