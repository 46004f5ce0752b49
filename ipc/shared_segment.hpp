// A Boost.Interprocess managed segment that belongs to one run: a unique name per process and
// segment, mode 0600, and the name is registered for removal on every way out, Ctrl-C included.
#pragma once

#include <boost/interprocess/managed_shared_memory.hpp>
#include <cstddef>
#include <string>

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
  bool linked_ = true;
  boost::interprocess::managed_shared_memory segment_;
};

// "parbench-<pid>-<n>": unique among concurrent runs, recognisable in /dev/shm.
std::string unique_ipc_name(const char* what);

}  // namespace parbench::ipc
