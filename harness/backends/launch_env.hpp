// Whether this process was started by an MPI launcher (mpirun, mpiexec, srun), read from the
// environment the launchers set, so it is known before MPI_Init and in builds without MPI.
#pragma once

#include <cstdlib>
#include <string>

namespace parbench {

#if PARBENCH_SMPI
// The smpi build runs only under smpirun, whose ranks share one process and its environment: the
// rank and the size come from MPI itself (mpi_backend.cpp), and MPI_Finalize from each rank's main.
namespace backends {
int simulated_rank();
int simulated_size();
void finish_simulated_rank();
}  // namespace backends
inline bool inside_mpi_launch() { return true; }
inline int launch_rank() { return backends::simulated_rank(); }
inline int launch_local_size() { return 1; }  // the platforms give every rank a host of its own
inline int launch_size() { return backends::simulated_size(); }
#else

inline const char* first_env(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (const char* value = std::getenv(name)) return value;
  }
  return nullptr;
}

inline bool inside_mpi_launch() {
  return first_env({"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE",
                    "MV2_COMM_WORLD_SIZE"}) != nullptr;
}

// This process's rank under a launcher, 0 otherwise.
inline int launch_rank() {
  const char* rank =
      first_env({"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "MV2_COMM_WORLD_RANK"});
  return rank == nullptr ? 0 : std::atoi(rank);
}

// The number of ranks the launcher started on this host, 0 when it does not say.
inline int launch_local_size() {
  const char* size =
      first_env({"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"});
  return size == nullptr ? 0 : std::atoi(size);
}

// The number of ranks the launcher started, 0 when it does not say.
inline int launch_size() {
  const char* size =
      first_env({"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MV2_COMM_WORLD_SIZE", "SLURM_NTASKS"});
  return size == nullptr ? 0 : std::atoi(size);
}

#endif

}  // namespace parbench
