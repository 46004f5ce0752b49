// What the two MPI stop flags share: their communicator and combining a measurement over the
// ranks.
#pragma once

#include <mpi.h>

#include <fmt/format.h>
#include <stdexcept>

#include "ipc/mpi_check.hpp"
#include "ipc/reach.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench::ipc::mpi_flag {

// A flag is made by every rank at the same point of the plan; MPI must already run.
inline MPI_Comm duplicate_world(const char* flag) {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised == 0) throw std::logic_error(fmt::format("{}: the flag needs MPI to run", flag));
  MPI_Comm comm = MPI_COMM_NULL;
  mpi_check(MPI_Comm_dup(MPI_COMM_WORLD, &comm), "MPI_Comm_dup", flag);
  // While the flag is made, errors on its communicator come back as return codes, so that a flag
  // the MPI library cannot make (a window between nodes over TCP, in Open MPI 4.1) fails its
  // configuration with one line in every rank alike instead of aborting the job. Once made, the
  // flag calls made_now(): an error in the middle of a repetition aborts the job again, since a
  // rank that threw there would leave the others waiting in a collective.
  mpi_check(MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler", flag);
  return comm;
}

// For a call that the MPI library may refuse between these ranks: every rank learns whether any
// refused, and all throw ipc::Unreachable together (none is left waiting in a collective).
inline void made_everywhere(MPI_Comm& comm, int rc, const char* call, const char* flag,
                            const char* why) {
  int here = rc == MPI_SUCCESS ? 1 : 0;
  int everywhere = 0;
  mpi_check(MPI_Allreduce(&here, &everywhere, 1, MPI_INT, MPI_MIN, comm), "MPI_Allreduce", flag);
  if (everywhere == 1) return;
  char text[MPI_MAX_ERROR_STRING] = "refused in another rank";
  int length = 0;
  if (rc != MPI_SUCCESS) MPI_Error_string(rc, text, &length);
  MPI_Comm_free(&comm);
  throw Unreachable(fmt::format("{}: {} ({} failed: {})", flag, why, call, text));
}

inline void made_now(MPI_Comm comm, const char* flag) {
  mpi_check(MPI_Comm_set_errhandler(comm, MPI_ERRORS_ARE_FATAL), "MPI_Comm_set_errhandler", flag);
}

inline std::uint64_t across(MPI_Comm comm, std::uint64_t mine, StopFlag::Across how) {
  const MPI_Op op = how == StopFlag::Across::kSum   ? MPI_SUM
                    : how == StopFlag::Across::kMin ? MPI_MIN
                                                    : MPI_MAX;
  std::uint64_t all = mine;
  mpi_check(MPI_Allreduce(&mine, &all, 1, MPI_UINT64_T, op, comm), "MPI_Allreduce", "mpi flag");
  return all;
}

}  // namespace parbench::ipc::mpi_flag
