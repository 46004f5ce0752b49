#include "ipc/shared_block.hpp"

namespace parbench::ipc {

const std::vector<BlockVariant>& block_variants() {
  // One line per mechanism.
  static const std::vector<BlockVariant> variants{
      none_block_variant(),      shm_block_variant(),     mmap_block_variant(),
      mmap_file_block_variant(), hugetlb_block_variant(), copy_block_variant(),
  };
  return variants;
}

}  // namespace parbench::ipc
