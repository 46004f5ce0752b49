#include "ipc/shared_counter.hpp"

namespace parbench::ipc {

template <>
const std::vector<CounterVariant>& registered() {
  // One line per mechanism.
  static const std::vector<CounterVariant> variants {
    atomic_counter_variant(),  //
        mutex_counter_variant(),
#if PARBENCH_HAVE_TBB
        tbb_spin_mutex_counter_variant(),     //
        tbb_queuing_mutex_counter_variant(),  //
#endif
        shm_counter_variant(),             //
        shm_atomic_counter_variant(),      //
        shm_mutex_counter_variant(),       //
        shm_value_counter_variant(),       //
        shm_value_lock_counter_variant(),  //
        shm_sem_counter_variant(),         //
        shm_spin_counter_variant(),        //
        file_counter_variant(),            //
        file_truncate_counter_variant(),   //
        file_flock_counter_variant(),      //
        file_fcntl_counter_variant(),      //
        file_poll_counter_variant(),       //
        broker_counter_variant(),
#if PARBENCH_HAVE_REDIS
        redis_counter_variant(),
#endif
#if PARBENCH_HAVE_MPI
        mpi_fetch_op_counter_variant(),  //
        mpi_lock_counter_variant(),      //
        mpi_nolock_counter_variant(),
#endif
  };
  return variants;
}

}  // namespace parbench::ipc
