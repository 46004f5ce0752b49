// Workloads for backend tests: the real pi kernel, and ones that misbehave on purpose.
#pragma once

#include <stdexcept>
#include <thread>

#include "harness/backends/workload.hpp"
#include "kernels/monte_carlo_pi.hpp"

namespace parbench::test_workloads {

class PiCount : public Workload {
 public:
  explicit PiCount(std::uint64_t n) : n_(n) {}
  std::string kernel() const override { return "pi"; }
  std::string params() const override { return "seed=3"; }
  std::vector<std::string> cli_args() const override { return {}; }
  std::uint64_t size() const override { return n_; }
  std::uint64_t run_slice(std::uint64_t b, std::uint64_t e) const override {
    return kernels::pi_count_hits(3, b, e);
  }
  Verdict judge(std::uint64_t r) const override { return {kernels::pi_estimate(r, n_), true, ""}; }

 private:
  std::uint64_t n_;
};

// Item i costs nothing; the slice that contains item `bad` throws.
class ThrowsOnItem : public PiCount {
 public:
  ThrowsOnItem(std::uint64_t n, std::uint64_t bad) : PiCount(n), bad_(bad) {}
  std::uint64_t run_slice(std::uint64_t b, std::uint64_t e) const override {
    if (b <= bad_ && bad_ < e) throw std::runtime_error("item is cursed");
    return e - b;
  }

 private:
  std::uint64_t bad_;
};

// Each slice sleeps: long enough for a test to do something to the workers meanwhile.
class Sleepy : public PiCount {
 public:
  explicit Sleepy(std::chrono::milliseconds nap) : PiCount(1000), nap_(nap) {}
  std::uint64_t run_slice(std::uint64_t b, std::uint64_t e) const override {
    std::this_thread::sleep_for(nap_);
    return e - b;
  }

 private:
  std::chrono::milliseconds nap_;
};

}  // namespace parbench::test_workloads
