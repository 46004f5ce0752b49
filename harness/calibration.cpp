#include "harness/calibration.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

#include "harness/fingerprint.hpp"
#include "kernels/think.hpp"

namespace parbench {
namespace {

using Clock = std::chrono::steady_clock;

// The fastest of `tries` runs of `what`, in seconds: the machine's cost, not its noise.
template <typename What>
double fastest_s(int tries, What&& what) {
  double best = std::numeric_limits<double>::max();
  for (int i = 0; i < tries; ++i) {
    const auto t0 = Clock::now();
    what();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

// Nanoseconds per step of a dependent multiply-add chain (kernels/think.hpp) on one core.
double cpu_ns() {
  constexpr std::uint64_t kSteps = 1 << 24;
  std::uint64_t sink = 0;
  const double s = fastest_s(3, [&] { sink += kernels::think(sink + 1, kSteps); });
  volatile std::uint64_t keep = sink;  // the chain must not be dropped
  (void)keep;
  return s * 1e9 / static_cast<double>(kSteps);
}

// GB/s of a 64 MiB memcpy, both buffers touched first.
double copy_gbs() {
  constexpr std::size_t kBytes = std::size_t{64} << 20;
  std::vector<char> from(kBytes, 1);
  std::vector<char> to(kBytes, 0);
  const double s = fastest_s(3, [&] {
    std::memcpy(to.data(), from.data(), kBytes);
    from[0] = to[kBytes - 1];  // each copy depends on the last
  });
  return static_cast<double>(kBytes) / s / 1e9;
}

// Microseconds for one thread to wake another that sleeps in read(2) on a pipe: half of a round
// trip between two threads.
double wake_us() {
  int ping[2];
  int pong[2];
  if (pipe(ping) != 0) return 0.0;
  if (pipe(pong) != 0) {
    close(ping[0]);
    close(ping[1]);
    return 0.0;
  }
  constexpr int kTrips = 500;
  std::thread echo([&] {
    char c = 0;
    for (int i = 0; i < kTrips; ++i) {
      if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1) break;
    }
  });
  char c = 0;
  const auto t0 = Clock::now();
  int done = 0;
  for (; done < kTrips; ++done) {
    if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) break;
  }
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  close(ping[1]);  // an echo thread still reading sees the end of the pipe
  echo.join();
  for (const int fd : {ping[0], pong[0], pong[1]}) close(fd);
  return done == kTrips ? s * 1e6 / (2.0 * kTrips) : 0.0;
}

}  // namespace

void calibrate(Fingerprint& machine) {
  machine.calib_cpu_ns = cpu_ns();
  machine.calib_copy_gbs = copy_gbs();
  machine.calib_wake_us = wake_us();
}

}  // namespace parbench
