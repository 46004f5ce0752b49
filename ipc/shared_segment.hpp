// A Boost.Interprocess managed segment that belongs to one run: a POSIX shared-memory object under
// a name nobody can guess (ipc/fresh_name.hpp), created exclusively with mode 0600, its memory
// reserved at once (a full /dev/shm is an error, not a SIGBUS), and registered for removal on
// every way out, Ctrl-C included.
#pragma once

#include <boost/interprocess/managed_external_buffer.hpp>
#include <cstddef>
#include <string>

#include "ipc/fresh_name.hpp"
#include "ipc/mapping.hpp"

namespace parbench::ipc {

class SharedSegment {
 public:
  explicit SharedSegment(std::size_t bytes);
  ~SharedSegment();
  SharedSegment(const SharedSegment&) = delete;
  SharedSegment& operator=(const SharedSegment&) = delete;

  // Constructs `count` default-constructed objects of T in the segment.
  template <typename T>
  T* construct_array(const char* name, std::size_t count) {
    return segment_.construct<T>(name)[count]();
  }

  // Removes the name while keeping the mapping: processes forked after construction still share the
  // memory, and even a SIGKILLed parent then leaves nothing in /dev/shm.
  void unlink() noexcept;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  bool linked_ = false;
  Mapping mapping_;
  // The segment manager is laid over a mapping of an object made by create_exclusive and reserved:
  // Boost's managed_shared_memory would fail on a name that exists instead of drawing another, and
  // would write its header into pages nothing reserved (a SIGBUS in a full /dev/shm).
  boost::interprocess::managed_external_buffer segment_;
};

}  // namespace parbench::ipc
