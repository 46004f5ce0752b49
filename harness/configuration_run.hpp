// One configuration measured in this process: the backend started (timed apart, as setup), the
// warm-ups, then the timed repetitions, one row each; or a row that says what failed. The runner
// (harness/runner.hpp) decides what to measure and judges and reports the rows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/progress.hpp"
#include "harness/records/record.hpp"
#include "harness/runner.hpp"

namespace parbench {

struct Measured {
  std::vector<RunRecord> records;  // none when refused
  bool reports = true;             // false in the MPI ranks that leave reporting to rank 0
  // Why the mechanism refused the configuration once its workers ran (ipc::Unreachable): no rows.
  std::optional<std::string> refused;
};

// The configuration's own columns, the same in every row it gives.
RunRecord describe(const Configuration& config);

// `round` 0 runs the plan's repetitions; round k of an interleaved run runs the k-th alone.
// `label` names the configuration in the progress shown.
Measured measure_here(const Configuration& config, const RunPlan& plan, int round,
                      Progress& progress, const std::string& label);

}  // namespace parbench
