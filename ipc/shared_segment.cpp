#include "ipc/shared_segment.hpp"

#include <unistd.h>

#include <fmt/format.h>
#include <atomic>
#include <boost/interprocess/permissions.hpp>
#include <boost/interprocess/shared_memory_object.hpp>

#include "ipc/cleanup.hpp"

namespace parbench::ipc {
namespace bip = boost::interprocess;

namespace {
bip::permissions owner_only() {
  bip::permissions perm;
  perm.set_permissions(0600);
  return perm;
}

// Registers the name before Boost creates the segment, so no window exists in which Ctrl-C could
// leave a segment behind.
std::string registered_name() {
  std::string name = unique_ipc_name("seg");
  register_path("/" + name, PathKind::kSharedMemory);
  return name;
}
}  // namespace

std::string unique_ipc_name(const char* what) {
  static std::atomic<unsigned> counter{0};
  return fmt::format("parbench-{}-{}-{}", getpid(), what, counter++);
}

SharedSegment::SharedSegment(std::size_t bytes)
    : name_(registered_name()),
      segment_(bip::create_only, name_.c_str(), bytes + 4096, nullptr, owner_only()) {}

SharedSegment::~SharedSegment() { unlink(); }

void SharedSegment::unlink() noexcept {
  if (!linked_) return;
  bip::shared_memory_object::remove(name_.c_str());
  unregister_path("/" + name_);
  linked_ = false;
}

}  // namespace parbench::ipc
