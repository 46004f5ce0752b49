#include "ipc/stop_flag.hpp"

namespace parbench::ipc {

template <>
const std::vector<StopFlagVariant>& registered() {
  // One line per mechanism.
  static const std::vector<StopFlagVariant> variants {
    atomic_flag_variant(),         //
        shm_flag_variant(),        //
        shm_mutex_flag_variant(),  //
        mmap_flag_variant(),       //
        mmap_file_flag_variant(),  //
        mmap_private_flag_variant(), broker_flag_variant(),
#if PARBENCH_HAVE_TBB
        tbb_cancel_flag_variant(),
#endif
#if PARBENCH_HAVE_REDIS
        redis_flag_variant(),
#endif
#if PARBENCH_HAVE_MPI
        mpi_rma_flag_variant(), mpi_msg_flag_variant(),
#endif
  };
  return variants;
}

}  // namespace parbench::ipc
