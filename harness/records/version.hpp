// Which parbench this is: recorded with every row, and compared by a queue worker with the
// feeder's.
#pragma once

#include <string>

namespace parbench {

// "0.4.0 (1a2b3c4)": the release and the commit it was built from.
std::string parbench_version();

}  // namespace parbench
