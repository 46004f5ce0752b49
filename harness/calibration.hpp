// A short calibration of the machine, measured before a run's matrix and recorded in every row:
// what a fixed single-core loop, a fixed memory copy and a wake-up across cores cost here and now.
// Virtual machines hide the CPU (two hosts both say "AMD EPYC", 2 CPUs, and one is 1.3x slower);
// these tell "this machine is slower" from "this backend got slower" (scripts/compare --normalise).
#pragma once

namespace parbench {

struct Fingerprint;

// Fills the fingerprint's calibration fields; well under a second.
void calibrate(Fingerprint& machine);

}  // namespace parbench
