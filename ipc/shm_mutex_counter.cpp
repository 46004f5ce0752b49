// shm-mutex: a word in shared memory under a Boost.Interprocess interprocess_mutex in the same
// segment, taken once per add: the book's RawValue + Lock (its Value + Lock is shm-value-lock).
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>

#include "ipc/shm_locked_counter.hpp"

namespace parbench::ipc {

namespace bip = boost::interprocess;

CounterVariant shm_mutex_counter_variant() {
  using Counter =
      ShmLockedCounter<bip::interprocess_mutex, bip::scoped_lock<bip::interprocess_mutex>>;
  return {{"shm-mutex",
           "a word in shared memory under an interprocess_mutex, once per add (the book's "
           "RawValue + Lock)",
           Need::kMadeBeforeStart, make_from_settings<Counter>},
          /*safe=*/true};
}

}  // namespace parbench::ipc
