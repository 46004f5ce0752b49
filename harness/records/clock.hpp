#pragma once

#include <time.h>

#include <string>

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

// `t` as ISO 8601 in UTC ("2026-12-06T19:47:00Z"): the form every timestamp parbench records takes.
inline std::string utc_text(time_t t) {
  tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace parbench
