#include "harness/calibration.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include "harness/collect_fingerprint.hpp"
#include "harness/records/clock.hpp"
#include "harness/records/version.hpp"
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

constexpr std::time_t kStaleAfterS = 6 * 3600;

// The per-user cache directory, made private if new; empty where there is none to use.
std::string cache_dir() {
  std::string base;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && xdg[0] == '/') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
    base = std::string(home) + "/.cache";
  } else {
    return "";
  }
  ::mkdir(base.c_str(), 0700);
  const std::string dir = base + "/parbench";
  ::mkdir(dir.c_str(), 0700);
  struct stat st {};
  // Only a directory of this user's, not a link someone else planted.
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid()) return "";
  return dir;
}

std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

// What the figures depend on: another boot (a VM may land on another host), CPU, affinity or build
// measures again.
std::string cache_key(const Fingerprint& m) {
  return fmt::format("{}|{}|{}|{}|{}|{}", boot_id(), m.host, m.cpu_model, m.usable_cpus,
                     parbench_version(), m.cxx_flags);
}

bool read_cache(const std::string& path, const std::string& key, Fingerprint& m) {
  std::ifstream in(path);
  std::map<std::string, std::string> values;
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  if (values["key"] != key) return false;
  const std::time_t taken = std::strtoll(values["taken"].c_str(), nullptr, 10);
  const std::time_t now = std::time(nullptr);
  if (taken <= 0 || taken > now || now - taken > kStaleAfterS) return false;
  m.calib_cpu_ns = std::strtod(values["cpu_ns"].c_str(), nullptr);
  m.calib_copy_gbs = std::strtod(values["copy_gbs"].c_str(), nullptr);
  m.calib_wake_us = std::strtod(values["wake_us"].c_str(), nullptr);
  if (!(m.calib_cpu_ns > 0 && m.calib_copy_gbs > 0 && m.calib_wake_us > 0)) return false;
  m.calib_at = utc_text(taken) + " (cached)";
  return true;
}

// Written whole or not at all: a private temporary file renamed over the cache.
void write_cache(const std::string& dir, const std::string& path, const std::string& key,
                 const Fingerprint& m, std::time_t taken) {
  std::string temp = dir + "/.calibration-XXXXXX";
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) return;
  const std::string text =
      fmt::format("key={}\ntaken={}\ncpu_ns={:.6g}\ncopy_gbs={:.6g}\nwake_us={:.6g}\n", key,
                  static_cast<long long>(taken), m.calib_cpu_ns, m.calib_copy_gbs, m.calib_wake_us);
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written || std::rename(temp.c_str(), path.c_str()) != 0) ::unlink(temp.c_str());
}

}  // namespace

void calibrate(Fingerprint& machine, bool refresh) {
#if PARBENCH_SMPI
  // Simulated ranks read SMPI's clock, which only the simulation advances: nothing to time here,
  // and the figures stay 0 ("none measured").
  (void)machine;
  (void)refresh;
  return;
#endif
  const std::string dir = cache_dir();
  const std::string path = dir.empty() ? std::string() : dir + "/calibration";
  const std::string key = cache_key(machine);
  if (!refresh && !path.empty() && read_cache(path, key, machine)) return;
  const std::time_t taken = std::time(nullptr);
  machine.calib_cpu_ns = cpu_ns();
  machine.calib_copy_gbs = copy_gbs();
  machine.calib_wake_us = wake_us();
  machine.calib_at = utc_text(taken);
  if (!path.empty() && machine.calib_wake_us > 0) write_cache(dir, path, key, machine, taken);
}

}  // namespace parbench
