#include "ipc/shared_block.hpp"

namespace parbench::ipc {

template <>
const std::vector<BlockVariant>& registered() {
  // One line per mechanism.
  static const std::vector<BlockVariant> variants {
    none_block_variant(),           //
        shm_block_variant(),        //
        mmap_block_variant(),       //
        mmap_file_block_variant(),  //
        hugetlb_block_variant(),    //
        copy_block_variant(),
#if PARBENCH_HAVE_MPI
        mpi_shared_block_variant(),  //
        mpi_gather_block_variant(),
#endif
  };
  return variants;
}

}  // namespace parbench::ipc
