#include "harness/collect_fingerprint.hpp"

#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fmt/format.h>
#include <boost/version.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "parbench_git.hpp"
#if PARBENCH_HAVE_TBB
#include <oneapi/tbb/version.h>
#endif
#if PARBENCH_HAVE_MPI
#include "harness/backends/mpi_support.hpp"
#if PARBENCH_SMPI
#include <xbt/base.h>  // before version.h, which uses its macros without including it

#include <simgrid/version.h>
#include <simgrid/zone.h>

#include "harness/backends/simulated_compute.hpp"
#endif
#endif
#if PARBENCH_HAVE_REDIS
#include <hiredis/hiredis.h>
#endif

namespace parbench {
namespace {

namespace fs = std::filesystem;

std::string read_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\"");
  const auto e = s.find_last_not_of(" \t\"");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The value of the first "key: value" (or key=value) line whose key matches.
std::string field_of(const fs::path& path, const std::string& key, char separator) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const auto pos = line.find(separator);
    if (pos != std::string::npos && trim(line.substr(0, pos)) == key)
      return trim(line.substr(pos + 1));
  }
  return "unknown";
}

void read_topology(Fingerprint& f) {
  std::set<std::string> packages;
  std::set<std::string> cores;
  for (int cpu = 0; cpu < f.logical_cpus; ++cpu) {
    const fs::path topo = fmt::format("/sys/devices/system/cpu/cpu{}/topology", cpu);
    const std::string package = read_line(topo / "physical_package_id");
    if (package.empty()) continue;
    packages.insert(package);
    cores.insert(package + "/" + read_line(topo / "core_id"));
  }
  f.sockets = static_cast<int>(packages.size());
  f.cores = static_cast<int>(cores.size());
}

std::string read_caches() {
  std::map<std::string, std::string> by_name;  // sorted: L1d, L1i, L2, L3
  const fs::path dir = "/sys/devices/system/cpu/cpu0/cache";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string level = read_line(entry.path() / "level");
    const std::string type = read_line(entry.path() / "type");
    if (level.empty()) continue;
    const std::string suffix = type == "Data" ? "d" : type == "Instruction" ? "i" : "";
    by_name["L" + level + suffix] = read_line(entry.path() / "size");
  }
  std::vector<std::string> parts;
  for (const auto& [name, size] : by_name) parts.push_back(name + "=" + size);
  return parts.empty() ? "unknown" : fmt::format("{}", fmt::join(parts, " "));
}

std::string read_turbo() {
  const std::string no_turbo = read_line("/sys/devices/system/cpu/intel_pstate/no_turbo");
  if (!no_turbo.empty()) return no_turbo == "0" ? "on" : "off";
  const std::string boost = read_line("/sys/devices/system/cpu/cpufreq/boost");
  if (!boost.empty()) return boost == "1" ? "on" : "off";
  return "unknown";
}

std::string or_unknown(const std::string& s) { return s.empty() ? "unknown" : s; }

}  // namespace

Fingerprint collect_fingerprint() {
  Fingerprint f;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  f.host = host;
  f.cpu_model = field_of("/proc/cpuinfo", "model name", ':');
  f.logical_cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  cpu_set_t set;
  CPU_ZERO(&set);
  f.usable_cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : f.logical_cpus;
  read_topology(f);
  f.caches = read_caches();
  const std::string mem_kib = field_of("/proc/meminfo", "MemTotal", ':');
  f.memory = mem_kib == "unknown"
                 ? mem_kib
                 : fmt::format("{:.1f} GiB", std::strtod(mem_kib.c_str(), nullptr) / 1048576.0);
  f.os = field_of("/etc/os-release", "PRETTY_NAME", '=');
  utsname uts{};
  uname(&uts);
  f.os_kernel = fmt::format("{} {} {}", uts.sysname, uts.release, uts.machine);
  f.governor = or_unknown(read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"));
  f.turbo = read_turbo();
  double load[3] = {};
  f.load_average = getloadavg(load, 3) == 3
                       ? fmt::format("{:.2f} {:.2f} {:.2f}", load[0], load[1], load[2])
                       : "unknown";
  f.compiler = PARBENCH_COMPILER;
  f.cxx_flags = PARBENCH_CXX_FLAGS;
  f.build_type = PARBENCH_BUILD_TYPE;
  f.boost_version = fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000,
                                BOOST_VERSION % 100);
#if PARBENCH_HAVE_TBB
  f.tbb_version = TBB_runtime_version();
#else
  f.tbb_version = "not built";
#endif
#if PARBENCH_SMPI
  // Simulated rows name their platform where every comparison looks first (the host: compare
  // matches it, the plots draw one line per host) and the simulator in mpi_version, so that they
  // never pass for measured ones.
  const std::string platform = sg_zone_get_name(sg_zone_get_root());
  f.host = "smpi:" + platform;
  int major = 0;
  int minor = 0;
  int patch = 0;
  sg_version_get(&major, &minor, &patch);
  f.mpi_version = fmt::format("simulated: SimGrid {}.{}.{} SMPI, platform {}, {}", major, minor,
                              patch, platform, backends::simulated_compute_mode());
#elif PARBENCH_HAVE_MPI
  f.mpi_version = backends::mpi_library_version();
#else
  f.mpi_version = "not built";
#endif
#if PARBENCH_HAVE_REDIS
  f.hiredis_version = fmt::format("{}.{}.{}", HIREDIS_MAJOR, HIREDIS_MINOR, HIREDIS_PATCH);
#else
  f.hiredis_version = "not built";
#endif
  f.parbench_version = parbench_version();
  const std::string sha = PARBENCH_GIT_SHA;
  f.build_dirty = sha == "unknown" ? "unknown" : sha.ends_with("-dirty") ? "true" : "false";
  return f;
}

std::vector<std::pair<std::string, std::string>> Fingerprint::fields() const {
  return {{"host", host},
          {"cpu_model", cpu_model},
          {"sockets", std::to_string(sockets)},
          {"cores", std::to_string(cores)},
          {"logical_cpus", std::to_string(logical_cpus)},
          {"usable_cpus", std::to_string(usable_cpus)},
          {"caches", caches},
          {"memory", memory},
          {"os", os},
          {"os_kernel", os_kernel},
          {"governor", governor},
          {"turbo", turbo},
          {"load_average", load_average},
          {"compiler", compiler},
          {"cxx_flags", cxx_flags},
          {"build_type", build_type},
          {"boost_version", boost_version},
          {"tbb_version", tbb_version},
          {"mpi_version", mpi_version},
          {"hiredis_version", hiredis_version},
          {"parbench_version", parbench_version},
          {"build_dirty", build_dirty},
          {"calib_cpu_ns", fmt::format("{:.4g}", calib_cpu_ns)},
          {"calib_copy_gbs", fmt::format("{:.4g}", calib_copy_gbs)},
          {"calib_wake_us", fmt::format("{:.4g}", calib_wake_us)},
          {"calib_at", calib_at.empty() ? std::string("not measured") : calib_at}};
}

}  // namespace parbench
