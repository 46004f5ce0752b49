// A word in a Boost.Interprocess segment beside the lock that guards it: what shm-mutex, shm-sem
// and shm-spin share. Each supplies its Lock (constructed in the segment) and Held, an RAII object
// that holds it for as long as it lives; ReadModifyWriteCounter makes both lock scopes of them.
#pragma once

#include "ipc/shared_counter.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::ipc {

template <typename Lock, typename Held>
class ShmLockedCounter final : public ReadModifyWriteCounter<ShmLockedCounter<Lock, Held>> {
 public:
  ShmLockedCounter() : segment_(4096), count_(segment_.construct_array<Locked>("counter", 1)) {
    segment_.unlink();  // mapped here and, through fork, in every worker; nothing in /dev/shm
  }
  Held hold() { return Held(count_->lock); }  // no copy or move: C++17's guaranteed elision
  std::uint64_t read(const Held& /*held*/) const { return count_->value; }
  void write(const Held& /*held*/, std::uint64_t v) { count_->value = v; }

 private:
  // The lock and the count share a line on purpose: whoever holds the lock writes the count next.
  // (No alignas(64): the segment's allocator gives 16-byte alignment.)
  struct Locked {
    Lock lock{};
    std::uint64_t value = 0;
  };
  SharedSegment segment_;
  Locked* count_;
};

}  // namespace parbench::ipc
