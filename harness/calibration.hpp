// A short calibration of the machine, measured before a run's matrix and recorded in every row:
// what a fixed single-core loop, a fixed memory copy and a wake-up across cores cost here and now.
// Virtual machines hide the CPU (two hosts both say "AMD EPYC", 2 CPUs, and one is 1.3x slower);
// these tell "this machine is slower" from "this backend got slower" (scripts/compare --normalise).
#pragma once

namespace parbench {

struct Fingerprint;

// Fills the fingerprint's calibration fields and calib_at. The figures are measured (well under a
// second, 135 MiB) once per machine and boot and kept in a per-user cache
// ($XDG_CACHE_HOME/parbench or ~/.cache/parbench) keyed by what can change them: the boot, the
// host, the CPU and the CPUs this process may use, and the parbench build. Cached figures older
// than six hours, or `refresh`, measure anew.
void calibrate(Fingerprint& machine, bool refresh = false);

}  // namespace parbench
