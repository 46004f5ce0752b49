// What the two MPI stop flags share: error checks and combining a measurement over the ranks.
#pragma once

#include <mpi.h>

#include <fmt/format.h>
#include <stdexcept>

#include "ipc/stop_flag.hpp"

namespace parbench::ipc::mpi_flag {

inline void check(int rc, const char* flag, const char* what) {
  if (rc != MPI_SUCCESS)
    throw std::runtime_error(fmt::format("{}: {} failed ({})", flag, what, rc));
}

// A flag is made by every rank at the same point of the plan; MPI must already run.
inline MPI_Comm duplicate_world(const char* flag) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised == 0) throw std::logic_error(fmt::format("{}: the flag needs MPI to run", flag));
  MPI_Comm comm = MPI_COMM_NULL;
  check(MPI_Comm_dup(MPI_COMM_WORLD, &comm), flag, "MPI_Comm_dup");
  return comm;
}

inline std::uint64_t across(MPI_Comm comm, std::uint64_t mine, StopFlag::Across how) {
  const MPI_Op op = how == StopFlag::Across::kSum   ? MPI_SUM
                    : how == StopFlag::Across::kMin ? MPI_MIN
                                                    : MPI_MAX;
  std::uint64_t all = mine;
  check(MPI_Allreduce(&mine, &all, 1, MPI_UINT64_T, op, comm), "mpi flag", "MPI_Allreduce");
  return all;
}

}  // namespace parbench::ipc::mpi_flag
