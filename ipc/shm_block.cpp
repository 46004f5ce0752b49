// shm: a POSIX shared memory object (shm_open, what Boost.Interprocess's shared_memory_object is),
// its pages reserved, mapped before the workers start and unlinked at once: forked workers share
// the mapping, and even a SIGKILLed run leaves nothing in /dev/shm.
#include <sys/mman.h>
#include <unistd.h>

#include "ipc/cleanup.hpp"
#include "ipc/fresh_name.hpp"
#include "ipc/mapped_block.hpp"

namespace parbench::ipc {
namespace {

Mapping map_shared_memory_object(std::uint64_t bytes) {
  const Created made = create_exclusive("", "block");
  struct Unlink {
    const Created& made;
    ~Unlink() {
      ::close(made.fd);
      shm_unlink(made.path.c_str());
      unregister_path(made.path);
    }
  } unlink{made};
  reserve(made.fd, bytes, "", "the block");
  return Mapping(bytes, MAP_SHARED, made.fd, Mapping::Kind::kShared,
                 "shared memory object " + made.path);
}

}  // namespace

BlockVariant shm_block_variant() {
  return {{"shm", "a POSIX shared memory object (shm_open), unlinked once mapped",
           Need::kMadeBeforeStart, [](const BlockSettings& s) {
             return std::make_unique<MappedBlock>(map_shared_memory_object(s.bytes), s.bytes, "");
           }}};
}

}  // namespace parbench::ipc
