// What ran on what: the machine, the build and the libraries. Recorded with every row so that CSVs
// from different machines can simply be concatenated and still compared.
#pragma once

#include "harness/records/version.hpp"

#include <string>
#include <utility>
#include <vector>

namespace parbench {

struct Fingerprint {
  std::string host;
  std::string cpu_model;
  int sockets = 0;
  int cores = 0;
  int logical_cpus = 0;  // online hardware threads
  int usable_cpus = 0;   // in this process's affinity mask: what "auto" means
  std::string caches;
  std::string memory;
  std::string os;
  std::string os_kernel;
  std::string governor;  // "unknown" where cpufreq is not exposed (as in most VMs)
  std::string turbo;
  std::string load_average;
  std::string compiler;
  std::string cxx_flags;
  std::string build_type;
  std::string boost_version;
  std::string tbb_version;
  std::string mpi_version;
  std::string hiredis_version;
  std::string parbench_version;
  std::string build_dirty;  // "true" when built from a tree with uncommitted changes
  // The calibration (harness/calibration.hpp); 0 where none was measured.
  double calib_cpu_ns = 0.0;    // one step of a dependent multiply-add chain
  double calib_copy_gbs = 0.0;  // a 64 MiB memcpy
  double calib_wake_us = 0.0;   // waking a thread that sleeps on a pipe
  std::string calib_at;         // when they were measured (UTC), "(cached)" when from the cache

  // Name/value pairs in display order, for `parbench info` and the JSON reporter.
  std::vector<std::pair<std::string, std::string>> fields() const;
};

}  // namespace parbench
