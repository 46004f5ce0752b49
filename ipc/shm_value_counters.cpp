// shm-value and shm-value-lock: the book's multiprocessing.Value as Python builds it, a word in
// shared memory with a lock of its own that its getter and its setter each take, one after the
// other. `value.value += 1` is a get and then a set: the lock is released between them, so two
// workers can read the same value and one add is lost although a lock exists (shm-value, a negative
// control). The book's fix puts an outer Lock around the two (shm-value-lock): safe, but each add
// takes two locks three times, where RawValue + Lock (shm-mutex) takes one lock once.
#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <boost/interprocess/sync/scoped_lock.hpp>

#include "ipc/shared_counter.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::ipc {
namespace {

namespace bip = boost::interprocess;
using Held = bip::scoped_lock<bip::interprocess_mutex>;

class ShmValueCounter final : public SharedCounter {
 public:
  explicit ShmValueCounter(bool outer_lock)
      : outer_lock_(outer_lock),
        segment_(4096),
        shared_(segment_.construct_array<Shared>("value", 1)) {
    segment_.unlink();  // mapped here and, through fork, in every worker; nothing in /dev/shm
  }
  void add(std::uint64_t k) override {
    if (!outer_lock_) {
      set(get() + k);  // value.value += k: the Value's lock around each access, not both
      return;
    }
    const Held outer(shared_->outer);
    set(get() + k);
  }
  void add_many(std::uint64_t times, std::uint64_t k, const Think& think) override {
    if (!outer_lock_) {
      SharedCounter::add_many(times, k, think);
      return;
    }
    const Held outer(shared_->outer);  // the book's decorator: one outer hold around the loop
    for (std::uint64_t i = 0; i < times; ++i) {
      if (think) think();
      set(get() + k);
    }
  }
  std::uint64_t value() override { return get(); }
  void reset() override { set(0); }

 private:
  std::uint64_t get() {
    const Held own(shared_->own);
    return shared_->value;
  }
  void set(std::uint64_t v) {
    const Held own(shared_->own);
    shared_->value = v;
  }

  struct Shared {
    bip::interprocess_mutex own{};    // the Value's own lock (lock=True)
    bip::interprocess_mutex outer{};  // the Lock the book adds around value.value += 1
    std::uint64_t value = 0;
  };
  bool outer_lock_;
  SharedSegment segment_;
  Shared* shared_;
};

}  // namespace

CounterVariant shm_value_counter_variant() {
  return {{"shm-value",
           "the book's Value: its own lock around the read and, apart, around the write of "
           "value.value += 1 (negative control: loses updates although a lock exists)",
           Need::kMadeBeforeStart,
           [](const MechanismSettings&) { return std::make_unique<ShmValueCounter>(false); }},
          /*safe=*/false};
}

CounterVariant shm_value_lock_counter_variant() {
  return {{"shm-value-lock",
           "the book's Value + Lock: an outer lock around the read and the write, each of which "
           "also takes the Value's own lock",
           Need::kMadeBeforeStart,
           [](const MechanismSettings&) { return std::make_unique<ShmValueCounter>(true); }},
          /*safe=*/true};
}

}  // namespace parbench::ipc
