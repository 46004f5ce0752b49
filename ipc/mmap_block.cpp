// mmap: anonymous MAP_SHARED memory, which forked workers inherit: the book's mmap-backed array.
#include <sys/mman.h>

#include "ipc/mapped_block.hpp"

namespace parbench::ipc {

BlockVariant mmap_block_variant() {
  return {{"mmap", "anonymous MAP_SHARED memory inherited through fork", Need::kMadeBeforeStart,
           [](const BlockSettings& s) {
             return std::make_unique<MappedBlock>(
                 Mapping(s.bytes, MAP_SHARED | MAP_ANONYMOUS, -1, Mapping::Kind::kShared,
                         "anonymous shared memory"),
                 s.bytes);
           }}};
}

}  // namespace parbench::ipc
