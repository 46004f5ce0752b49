// parbench info [--json]: the machine fingerprint every row records.
#include <fmt/format.h>

#include <memory>

#include "harness/calibration.hpp"
#include "harness/cli/commands.hpp"
#include "harness/collect_fingerprint.hpp"
#include "harness/reporters/json_reporter.hpp"

namespace parbench::cli {

void setup_info_command(CLI::App& app, int& exit_code) {
  auto* info =
      app.add_subcommand("info", "The machine's fingerprint: CPU, caches, OS, compiler, libraries");
  auto as_json = std::make_shared<bool>(false);
  auto recalibrate = std::make_shared<bool>(false);
  info->add_flag("--json", *as_json, "Print JSON instead of a table");
  info->add_flag("--recalibrate", *recalibrate,
                 "Measure the calibration anew instead of taking this boot's cached figures");
  info->callback([as_json, recalibrate, &exit_code] {
    Fingerprint machine = collect_fingerprint();
    calibrate(machine, *recalibrate);  // the figures every row records, as a run takes them
    if (*as_json) {
      JsonWriter json;
      JsonReporter::write_fingerprint(json, machine);
      fmt::print("{}", json.str());
    } else {
      for (const auto& [name, value] : machine.fields()) fmt::print("{:<17} {}\n", name, value);
    }
    exit_code = 0;
  });
}

}  // namespace parbench::cli
