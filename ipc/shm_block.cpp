// shm: a Boost.Interprocess shared_memory_object (POSIX shm_open), mapped before the workers start
// and unlinked at once: forked workers share the mapping, and even a SIGKILLed run leaves nothing
// in /dev/shm.
#include <sys/mman.h>

#include <boost/interprocess/permissions.hpp>
#include <boost/interprocess/shared_memory_object.hpp>

#include "ipc/cleanup.hpp"
#include "ipc/mapped_block.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::ipc {
namespace {

namespace bip = boost::interprocess;

Mapping map_shared_memory_object(std::uint64_t bytes) {
  const std::string name = unique_ipc_name("block");
  register_path("/" + name, PathKind::kSharedMemory);  // before it exists: Ctrl-C removes it
  bip::permissions owner_only;
  owner_only.set_permissions(0600);
  struct Unlink {
    const std::string& name;
    ~Unlink() {
      bip::shared_memory_object::remove(name.c_str());
      unregister_path("/" + name);
    }
  } unlink{name};
  bip::shared_memory_object object(bip::create_only, name.c_str(), bip::read_write, owner_only);
  object.truncate(static_cast<bip::offset_t>(bytes));
  return Mapping(bytes, MAP_SHARED, object.get_mapping_handle().handle, Mapping::Kind::kShared,
                 "shared memory object " + name);
}

}  // namespace

BlockVariant shm_block_variant() {
  return {"shm", "a Boost.Interprocess shared memory object, unlinked once mapped",
          Need::kMadeBeforeStart, [](const BlockSettings& s) {
            return std::make_unique<MappedBlock>(map_shared_memory_object(s.bytes), s.bytes);
          }};
}

}  // namespace parbench::ipc
