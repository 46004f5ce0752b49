// mpi-msg: a stop message. The rank that finds a factor sends it to every other rank; a check is
// one MPI_Iprobe on the flag's own communicator (so it never matches the backend's messages).
// Before the next repetition every rank receives what was sent to it and not yet read, so that no
// stale stop message leaks into it.
#include <mpi.h>

#include <deque>
#include <stdexcept>
#include <vector>

#include "ipc/mpi_flag_support.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

constexpr const char* kName = "mpi-msg";

constexpr int kStopTag = 7;

class MpiMsgFlag final : public StopFlag {
 public:
  // Collective over MPI_COMM_WORLD: every rank makes the flag at the same point of the plan.
  MpiMsgFlag() {
    comm_ = mpi_flag::duplicate_world(kName);
    mpi_check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank", kName);
    mpi_check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size", kName);
    sent_to_.assign(static_cast<std::size_t>(size_), 0);
    mpi_flag::made_now(comm_, kName);
  }
  ~MpiMsgFlag() override {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised != 0) return;
    try {
      drain();  // collective, like the construction: no send may outlive the communicator
    } catch (const std::exception&) {
      // MPI failed; the job is ending anyway
    }
    MPI_Comm_free(&comm_);
  }
  MpiMsgFlag(const MpiMsgFlag&) = delete;
  MpiMsgFlag& operator=(const MpiMsgFlag&) = delete;

  void raise(std::uint64_t value) override {
    keep_smallest(value);
    outbox_.push_back(value);  // a deque: the buffer of a pending send must not move
    for (int r = 0; r < size_; ++r) {
      if (r == rank_) continue;
      MPI_Request request = MPI_REQUEST_NULL;
      mpi_check(MPI_Isend(&outbox_.back(), 1, MPI_UINT64_T, r, kStopTag, comm_, &request),
                "MPI_Isend", kName);
      pending_.push_back(request);
      ++sent_to_[static_cast<std::size_t>(r)];
    }
  }
  // Reads every stop message that has arrived; a smaller factor may follow a larger one.
  std::uint64_t value() override {
    for (;;) {
      int arrived = 0;
      MPI_Status status;
      mpi_check(MPI_Iprobe(MPI_ANY_SOURCE, kStopTag, comm_, &arrived, &status), "MPI_Iprobe",
                kName);
      if (arrived == 0) return value_;
      receive(status.MPI_SOURCE);
    }
  }
  // Every rank calls it before a repetition.
  void reset() override {
    drain();
    value_ = 0;
  }
  std::uint64_t across_owners(std::uint64_t mine, Across how) override {
    return mpi_flag::across(comm_, mine, how);
  }

 private:
  void keep_smallest(std::uint64_t v) {
    if (value_ == 0 || v < value_) value_ = v;
  }
  void receive(int source) {
    std::uint64_t v = 0;
    mpi_check(MPI_Recv(&v, 1, MPI_UINT64_T, source, kStopTag, comm_, MPI_STATUS_IGNORE), "MPI_Recv",
              kName);
    ++received_;
    keep_smallest(v);
  }
  // Collective: learn how many stop messages were sent to this rank, receive the rest of them,
  // then complete this rank's own sends.
  void drain() {
    int expected = 0;
    mpi_check(MPI_Reduce_scatter_block(sent_to_.data(), &expected, 1, MPI_INT, MPI_SUM, comm_),
              "MPI_Reduce_scatter_block", kName);
    while (received_ < expected) receive(MPI_ANY_SOURCE);
    mpi_check(MPI_Waitall(static_cast<int>(pending_.size()), pending_.data(), MPI_STATUSES_IGNORE),
              "MPI_Waitall", kName);
    pending_.clear();
    outbox_.clear();
    sent_to_.assign(sent_to_.size(), 0);
    received_ = 0;
  }

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
  std::uint64_t value_ = 0;
  std::deque<std::uint64_t> outbox_;
  std::vector<MPI_Request> pending_;
  std::vector<int> sent_to_;  // stop messages sent to each rank since the last reset
  int received_ = 0;          // stop messages read since the last reset
};

}  // namespace

StopFlagVariant mpi_msg_flag_variant() {
  return {.name = kName,
          .summary = "a stop message to every rank, noticed with MPI_Iprobe",
          .need = Need::kMpiJob,
          .create = make_from_settings<MpiMsgFlag>};
}

}  // namespace parbench::ipc
