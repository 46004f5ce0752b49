#pragma once

#include <time.h>

namespace parbench {

inline double clock_s(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// CLOCK_MONOTONIC is shared by all processes of a host, so a child can subtract its parent's
// reading.
inline double monotonic_s() { return clock_s(CLOCK_MONOTONIC); }
// CPU time of every thread of this process (not of its children).
inline double process_cpu_s() { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

}  // namespace parbench
