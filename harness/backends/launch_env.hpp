// Whether this process was started by an MPI launcher (mpirun, mpiexec, srun), read from the
// environment the launchers set, so it is known before MPI_Init and in builds without MPI.
#pragma once

#include <cstdlib>
#include <string>

namespace parbench {

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

}  // namespace parbench
