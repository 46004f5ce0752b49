// pi and primes publishing their results through a shared counter (--ipc <counter>,
// --publish-every N): every worker adds its partial result to the counter every N items (by default
// once per slice), and the repetition's result is what the counter reached, not the backend's
// reduction (harness/mechanisms/counter_mechanism.hpp). A safe counter gives exactly the usual
// result; a negative control may lose some, and the row says how many. What the two kernels share.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/mechanisms/counter_mechanism.hpp"
#include "harness/workloads/ipc_options.hpp"

namespace parbench {

struct Publishing {
  std::shared_ptr<CounterMechanism> counter;  // null: --ipc none, the backend's reduction alone
  std::uint64_t every = 0;                    // items between two adds; 0: once per slice

  // ";publish_every=N" (or "=slice") where a counter is used, for the kernel's params.
  std::string params() const;
  // --ipc and --publish-every as a relaunch under mpirun passes them.
  std::vector<std::string> cli_args() const;
  Mechanism* mechanism() const { return counter.get(); }

  // `slice(b, e)` over [begin, end) in pieces of `every` items, each piece's partial result added
  // to the counter; returns their sum, which the backend still combines (the counter must match).
  template <typename Slice>
  std::uint64_t run(std::uint64_t begin, std::uint64_t end, Slice&& slice) const {
    if (!counter) return slice(begin, end);
    const std::uint64_t step = every == 0 ? end - begin : every;
    std::uint64_t total = 0;
    for (std::uint64_t b = begin; b < end; b += std::min(step, end - b)) {
      const std::uint64_t part = slice(b, b + std::min(step, end - b));
      counter->counter().add(part);
      total += part;
    }
    return total;
  }
};

// The names pi and primes accept in --ipc: none, all and the counters.
std::vector<std::string> publishing_ipc_names();
// One Publishing per variant --ipc names for a kernel that publishes (none, the default, first
// where listed), with --publish-every.
std::vector<Publishing> publishings(const IpcOptions& ipc);

}  // namespace parbench
