// The second level of the hybrids (mpi+threads, mpi+tbb): a rank's pool of threads seen as a
// Workload. The MPI backend splits the kernel across ranks exactly as it does for plain mpi; each
// slice a rank takes is run by its pool (a threads or tbb backend, started once per configuration)
// split again by the same schedule. So the two levels differ only in who claims, as everywhere.
#pragma once

#include <memory>
#include <vector>

#include "harness/backends/backend.hpp"
#include "harness/backends/forwarding_workload.hpp"

namespace parbench::backends {

// A window [begin, end) onto another workload, moved before every slice the rank hands its pool.
class SliceOf final : public ForwardingWorkload {
 public:
  explicit SliceOf(const Workload& whole) : ForwardingWorkload(whole) {}
  void move_to(std::uint64_t begin, std::uint64_t end) {
    begin_ = begin;
    end_ = end;
  }
  std::uint64_t size() const override { return end_ - begin_; }
  std::uint64_t run_slice_counted(std::uint64_t begin, std::uint64_t end,
                                  std::uint64_t& done) const override {
    return whole().run_slice_counted(begin_ + begin, begin_ + end, done);
  }

 private:
  std::uint64_t begin_ = 0;
  std::uint64_t end_ = 0;
};

// What the rank's loop calls instead of the kernel: each slice goes to the pool, and the pool's
// per-thread loads add up over the slices of one repetition.
class ThreadsInRank final : public ForwardingWorkload {
 public:
  ThreadsInRank(const Workload& whole, std::unique_ptr<Backend> pool, int threads,
                const Schedule& schedule)
      : ForwardingWorkload(whole), window_(whole), pool_(std::move(pool)), threads_(threads) {
    pool_->start(window_, threads, schedule);
  }
  ~ThreadsInRank() override { pool_->stop(); }
  ThreadsInRank(const ThreadsInRank&) = delete;
  ThreadsInRank& operator=(const ThreadsInRank&) = delete;

  // Before every repetition.
  void clear_loads() { loads_.assign(static_cast<std::size_t>(threads_), {}); }
  const std::vector<WorkerReport>& loads() const { return loads_; }

  // Called by the rank's own thread only, one slice at a time: hence the mutable state.
  std::uint64_t run_slice_counted(std::uint64_t begin, std::uint64_t end,
                                  std::uint64_t& done) const override {
    window_.move_to(begin, end);
    const RunOutput out = pool_->run();
    done = 0;
    for (std::size_t t = 0; t < out.workers.size() && t < loads_.size(); ++t) {
      loads_[t].busy_s += out.workers[t].busy_s;
      loads_[t].items += out.workers[t].items;
      done += out.workers[t].items;
    }
    return out.result;
  }

 private:
  mutable SliceOf window_;
  std::unique_ptr<Backend> pool_;
  int threads_;
  mutable std::vector<WorkerReport> loads_;
};

}  // namespace parbench::backends
