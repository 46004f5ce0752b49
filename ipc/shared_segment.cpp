#include "ipc/shared_segment.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include "ipc/cleanup.hpp"

namespace parbench::ipc {
namespace bip = boost::interprocess;

SharedSegment::SharedSegment(std::size_t bytes) {
  const std::size_t size = bytes + 4096;  // room for the segment manager's own bookkeeping
  const Created made = create_exclusive("", "seg");
  name_ = made.path.substr(1);
  linked_ = true;
  try {
    reserve(made.fd, size, "", "the shared segment");
    mapping_ = Mapping(size, MAP_SHARED, made.fd, Mapping::Kind::kShared, "segment " + name_);
  } catch (...) {
    ::close(made.fd);
    unlink();  // the destructor does not run for a constructor that throws
    throw;
  }
  ::close(made.fd);  // the mapping keeps the memory
  segment_ = bip::managed_external_buffer(bip::create_only, mapping_.words().data(), size);
}

SharedSegment::~SharedSegment() { unlink(); }

void SharedSegment::unlink() noexcept {
  if (!linked_) return;
  shm_unlink(("/" + name_).c_str());
  unregister_path("/" + name_);
  linked_ = false;
}

}  // namespace parbench::ipc
