// mpi-fetch-op, mpi-lock and mpi-nolock: the counter is one word in an MPI window on rank 0, and
// every rank's workers add to it one-sidedly. Three variants, one file: they differ only in the
// add.
//   mpi-fetch-op  MPI_Fetch_and_op(MPI_SUM) and a flush, inside one shared passive-target epoch
//                 (MPI_Win_lock_all) that lasts as long as the counter: the window's atomic add.
//   mpi-lock      an exclusive MPI_Win_lock on rank 0, MPI_Get, flush, MPI_Put, MPI_Win_unlock: the
//                 book's Value + Lock as one-sided MPI, a lock round trip per add.
//   mpi-nolock    MPI_Get, flush, MPI_Put, flush inside the shared epoch: the negative control.
//                 Two ranks' puts to one word conflict, which MPI leaves undefined; in practice one
//                 of the adds is lost, never invented.
// The owner's value() and reset() act on rank 0's word with the variant's own epoch; value() and
// added_in_all() broadcast rank 0's view, so every rank finishes a repetition with the same count.
// Like the MPI flags, a window the library cannot open between these ranks (Open MPI 4.1 over TCP,
// across nodes) refuses the configuration with one line in every rank.
#include <mpi.h>

#include "ipc/mpi_flag_support.hpp"
#include "ipc/shared_counter.hpp"

namespace parbench::ipc {
namespace {

enum class Add { kFetchOp, kLock, kNoLock };

class MpiWindowCounter final : public SharedCounter {
 public:
  // Collective over MPI_COMM_WORLD: every rank makes the counter at the same point of the plan.
  MpiWindowCounter(const char* name, Add add) : name_(name), add_(add) {
    comm_ = mpi_flag::duplicate_world(name_);
    mpi_check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank", name_);
    const MPI_Aint bytes = rank_ == 0 ? sizeof(std::uint64_t) : 0;
    mpi_flag::made_everywhere(
        comm_,
        MPI_Win_allocate(bytes, sizeof(std::uint64_t), MPI_INFO_NULL, comm_, &word_, &window_),
        "MPI_Win_allocate", name_,
        "this MPI library cannot open a one-sided window between these ranks (Open MPI 4.1 over "
        "TCP, across nodes)");
    if (rank_ == 0) *word_ = 0;
    if (add_ != Add::kLock) mpi_check(MPI_Win_lock_all(0, window_), "MPI_Win_lock_all", name_);
    mpi_check(MPI_Barrier(comm_), "MPI_Barrier", name_);  // nobody adds before the word is 0
    mpi_flag::made_now(comm_, name_);
  }
  ~MpiWindowCounter() override {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised != 0) return;
    if (add_ != Add::kLock) MPI_Win_unlock_all(window_);
    MPI_Win_free(&window_);
    MPI_Comm_free(&comm_);
  }
  MpiWindowCounter(const MpiWindowCounter&) = delete;
  MpiWindowCounter& operator=(const MpiWindowCounter&) = delete;

  void add(std::uint64_t k) override {
    switch (add_) {
      case Add::kFetchOp: {
        std::uint64_t old = 0;
        check(MPI_Fetch_and_op(&k, &old, MPI_UINT64_T, 0, 0, MPI_SUM, window_), "MPI_Fetch_and_op");
        check(MPI_Win_flush(0, window_), "MPI_Win_flush");
        return;
      }
      case Add::kLock:
        check(MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, window_), "MPI_Win_lock");
        put(get() + k);
        check(MPI_Win_unlock(0, window_), "MPI_Win_unlock");
        return;
      case Add::kNoLock:
        put(get() + k);
        check(MPI_Win_flush(0, window_), "MPI_Win_flush");
        return;
    }
  }
  std::uint64_t value() override {
    std::uint64_t seen = 0;
    if (rank_ == 0) seen = at_root([this] { return get(); });
    return broadcast(seen);
  }
  // Rank 0 clears its word; the backend's barrier before the next repetition orders it before any
  // add.
  void reset() override {
    if (rank_ == 0)
      at_root([this] {
        put(0);
        return std::uint64_t{0};
      });
  }
  std::uint64_t added_in_all(std::uint64_t mine) override { return broadcast(mine); }

 private:
  void check(int rc, const char* call) const { mpi_check(rc, call, name_); }
  // Rank 0's word, completed before it returns.
  std::uint64_t get() {
    std::uint64_t value = 0;
    check(MPI_Get(&value, 1, MPI_UINT64_T, 0, 0, 1, MPI_UINT64_T, window_), "MPI_Get");
    check(MPI_Win_flush(0, window_), "MPI_Win_flush");
    return value;
  }
  void put(std::uint64_t value) {
    check(MPI_Put(&value, 1, MPI_UINT64_T, 0, 0, 1, MPI_UINT64_T, window_), "MPI_Put");
    check(MPI_Win_flush(0, window_), "MPI_Win_flush");
  }
  // `use` inside an epoch on rank 0's word: the variant's shared one, or mpi-lock's own lock.
  template <typename Use>
  std::uint64_t at_root(Use&& use) {
    if (add_ != Add::kLock) return use();
    check(MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, window_), "MPI_Win_lock");
    const std::uint64_t result = use();
    check(MPI_Win_unlock(0, window_), "MPI_Win_unlock");
    return result;
  }
  std::uint64_t broadcast(std::uint64_t value) {
    check(MPI_Bcast(&value, 1, MPI_UINT64_T, 0, comm_), "MPI_Bcast");
    return value;
  }

  const char* name_;
  Add add_;
  MPI_Comm comm_ = MPI_COMM_NULL;
  MPI_Win window_ = MPI_WIN_NULL;
  std::uint64_t* word_ = nullptr;
  int rank_ = 0;
};

template <Add kAdd>
std::unique_ptr<SharedCounter> make_window_counter(const char* name) {
  return std::make_unique<MpiWindowCounter>(name, kAdd);
}

}  // namespace

CounterVariant mpi_fetch_op_counter_variant() {
  return {
      {"mpi-fetch-op", "a word in an MPI window on rank 0, MPI_Fetch_and_op(MPI_SUM) per add",
       Need::kMpiJob,
       [](const MechanismSettings&) { return make_window_counter<Add::kFetchOp>("mpi-fetch-op"); }},
      /*safe=*/true};
}

CounterVariant mpi_lock_counter_variant() {
  return {{"mpi-lock",
           "a word in an MPI window on rank 0 under an exclusive MPI_Win_lock: get, put, unlock",
           Need::kMpiJob,
           [](const MechanismSettings&) { return make_window_counter<Add::kLock>("mpi-lock"); }},
          /*safe=*/true};
}

CounterVariant mpi_nolock_counter_variant() {
  return {
      {"mpi-nolock",
       "a word in an MPI window on rank 0, get then put with no lock (negative control)",
       Need::kMpiJob,
       [](const MechanismSettings&) { return make_window_counter<Add::kNoLock>("mpi-nolock"); }},
      /*safe=*/false};
}

}  // namespace parbench::ipc
