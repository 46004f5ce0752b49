// mpi-rma: the flag is a word in an MPI window, one copy on every rank. A raise is MPI_Accumulate
// with MPI_MIN into every rank's copy, then MPI_Win_flush_all, inside one passive-target epoch that
// lasts as long as the flag. A check reads the rank's own copy: in the unified memory model (every
// window on one node here) MPI_Win_sync and a load; in the separate model an atomic fetch
// (MPI_Fetch_and_op with MPI_NO_OP) and MPI_Win_flush.
// Why a copy per rank: with one word on rank 0, every check of every rank took the same
// accumulate lock and its cache line bounced between cores (222 ns per check here, 8% over no flag
// at K = 1000); a local copy is never written but by a raise. Why not the atomic fetch everywhere:
// it takes Open MPI's accumulate lock, 68 ns against 10 ns for sync and load (2 ranks, this VM).
// The load of an aligned word cannot tear on the machines MPI runs on; a stale read only delays
// the stop by a check. "Not raised" is the largest 64-bit value, so that MPI_MIN keeps the smallest
// factor.
#include <mpi.h>

#include <atomic>
#include <limits>
#include <stdexcept>

#include "ipc/mpi_flag_support.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

constexpr const char* kName = "mpi-rma";

constexpr std::uint64_t kLowered = std::numeric_limits<std::uint64_t>::max();

class MpiRmaFlag final : public StopFlag {
 public:
  // Collective over MPI_COMM_WORLD: every rank makes the flag at the same point of the plan.
  MpiRmaFlag() {
#if PARBENCH_SMPI
    // SimGrid 3.32's windows answer no MPI_WIN_MODEL, and SMPI aborts on the error: every rank
    // refuses alike, before any collective.
    throw Unreachable(
        fmt::format("{}: SimGrid's SMPI does not simulate this one-sided window "
                    "(no MPI_WIN_MODEL); mpi-msg reaches its ranks",
                    kName));
#endif
    comm_ = mpi_flag::duplicate_world(kName);
    mpi_check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank", kName);
    mpi_check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size", kName);
    const MPI_Aint bytes = sizeof(std::uint64_t);
    mpi_flag::made_everywhere(
        comm_,
        MPI_Win_allocate(bytes, sizeof(std::uint64_t), MPI_INFO_NULL, comm_, &word_, &window_),
        "MPI_Win_allocate", kName,
        "this MPI library cannot open a one-sided window between these ranks (Open MPI 4.1 "
        "over TCP, across nodes); mpi-msg reaches them");
    *word_ = kLowered;
    int* model = nullptr;
    int found = 0;
    mpi_check(MPI_Win_get_attr(window_, MPI_WIN_MODEL, &model, &found), "MPI_Win_get_attr", kName);
    unified_ = found != 0 && *model == MPI_WIN_UNIFIED;
    mpi_check(MPI_Win_lock_all(MPI_MODE_NOCHECK, window_), "MPI_Win_lock_all", kName);
    // Nobody raises before every copy is lowered.
    mpi_check(MPI_Barrier(comm_), "MPI_Barrier", kName);
    mpi_flag::made_now(comm_, kName);
  }
  ~MpiRmaFlag() override {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised != 0) return;
    MPI_Win_unlock_all(window_);
    MPI_Win_free(&window_);
    MPI_Comm_free(&comm_);
  }
  MpiRmaFlag(const MpiRmaFlag&) = delete;
  MpiRmaFlag& operator=(const MpiRmaFlag&) = delete;

  void raise(std::uint64_t value) override {
    for (int r = 0; r < size_; ++r) {
      mpi_check(MPI_Accumulate(&value, 1, MPI_UINT64_T, r, 0, 1, MPI_UINT64_T, MPI_MIN, window_),
                "MPI_Accumulate", kName);
    }
    mpi_check(MPI_Win_flush_all(window_), "MPI_Win_flush_all", kName);
  }
  std::uint64_t value() override {
    std::uint64_t seen = kLowered;
    if (unified_) {
      mpi_check(MPI_Win_sync(window_), "MPI_Win_sync", kName);
      seen = std::atomic_ref<std::uint64_t>(*word_).load(std::memory_order_relaxed);
    } else {
      mpi_check(MPI_Fetch_and_op(nullptr, &seen, MPI_UINT64_T, rank_, 0, MPI_NO_OP, window_),
                "MPI_Fetch_and_op", kName);
      mpi_check(MPI_Win_flush(rank_, window_), "MPI_Win_flush", kName);
    }
    return seen == kLowered ? 0 : seen;
  }
  // Every rank calls it before a repetition and lowers its own copy; every raise of the last one
  // was flushed before it ended, and the backend's barrier orders the lowering before any check.
  void reset() override {
    std::uint64_t lowered = kLowered;
    std::uint64_t old = 0;
    mpi_check(MPI_Fetch_and_op(&lowered, &old, MPI_UINT64_T, rank_, 0, MPI_REPLACE, window_),
              "MPI_Fetch_and_op", kName);
    mpi_check(MPI_Win_flush(rank_, window_), "MPI_Win_flush", kName);
  }
  std::uint64_t across_owners(std::uint64_t mine, Across how) override {
    return mpi_flag::across(comm_, mine, how);
  }

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
  MPI_Win window_ = MPI_WIN_NULL;
  std::uint64_t* word_ = nullptr;
  int rank_ = 0;
  int size_ = 1;
  bool unified_ = false;  // local loads see the window's public copy (after MPI_Win_sync)
};

}  // namespace

StopFlagVariant mpi_rma_flag_variant() {
  return {.name = kName,
          .summary =
              "a word in an MPI window, a copy per rank: accumulate to raise, sync + load to check",
          .need = Need::kMpiJob,
          .create = make_from_settings<MpiRmaFlag>};
}

}  // namespace parbench::ipc
