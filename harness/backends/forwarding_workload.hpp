// A workload that stands in for another one and changes only how its slices run: the simulated
// clock of the smpi build (simulated_compute.hpp), a rank's window and its pool of threads in the
// hybrids (threads_in_rank.hpp). Everything that names or judges the work is the other one's, so
// the stand-ins write only what they change.
#pragma once

#include <string>
#include <vector>

#include "harness/backends/workload.hpp"

namespace parbench::backends {

class ForwardingWorkload : public Workload {
 public:
  explicit ForwardingWorkload(const Workload& whole) : whole_(whole) {}
  std::string kernel() const override { return whole_.kernel(); }
  std::string params() const override { return whole_.params(); }
  std::vector<std::string> cli_args() const override { return whole_.cli_args(); }
  std::uint64_t size() const override { return whole_.size(); }
  Reduction reduction() const override { return whole_.reduction(); }
  Verdict judge(std::uint64_t result) const override { return whole_.judge(result); }
  // Every stand-in counts what it did; run_slice is the same call without the count.
  std::uint64_t run_slice(std::uint64_t begin, std::uint64_t end) const final {
    std::uint64_t done = 0;
    return run_slice_counted(begin, end, done);
  }

 protected:
  const Workload& whole() const { return whole_; }

 private:
  const Workload& whole_;
};

}  // namespace parbench::backends
