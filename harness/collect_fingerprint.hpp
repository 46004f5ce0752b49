// The fingerprint of this machine, build and libraries, as every row records it
// (harness/records/fingerprint.hpp); collected by the harness, which knows the backends' libraries.
#pragma once

#include "harness/records/fingerprint.hpp"

namespace parbench {

Fingerprint collect_fingerprint();

}  // namespace parbench
