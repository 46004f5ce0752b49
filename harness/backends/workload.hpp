// A kernel bound to its parameters: the unit of work that every backend runs. Backends only ever
// see this interface; they split [0, size()) into slices, call run_slice on each and fold the
// partial results with the workload's reduction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace parbench {

class Mechanism;

// How partial results combine. An enum rather than a callback so that MPI can map it onto a
// reduction operation and every backend folds the same way.
enum class Reduction {
  kSum,         // counts: hits, primes
  kMinNonzero,  // smallest factor found, 0 meaning "none"
};

std::uint64_t reduction_identity(Reduction r);
std::uint64_t fold(Reduction r, std::uint64_t a, std::uint64_t b);

// What a combined result means and whether it is right.
struct Verdict {
  double value = 0.0;  // the derived quantity, e.g. the pi estimate
  bool valid = false;
  std::string error;  // why it is not valid
};

// The ways a kernel differs that the runner must know, in one struct rather than a virtual each.
struct WorkloadTraits {
  // Bytes each item writes, for a kernel that moves memory (fill): the row then also records GB/s.
  std::optional<double> bytes_per_item;
  // Whether every backend must compute exactly the serial result. Not so where workers stop early
  // and any real factor is a right answer.
  bool must_match_serial = true;
  // Whether judge() itself weighs what a shared counter lost (count, whose negative controls lose
  // updates by design); elsewhere any lost update makes the result wrong.
  bool judges_lost_updates = false;
};

class Workload {
 public:
  virtual ~Workload() = default;

  virtual std::string kernel() const = 0;
  // "key=value;key=value": the kernel's parameters other than the size, as recorded in the CSV.
  virtual std::string params() const = 0;
  // The same parameters as command-line arguments, for relaunching parbench under mpirun.
  virtual std::vector<std::string> cli_args() const = 0;

  // Number of work items; backends split [0, size()).
  virtual std::uint64_t size() const = 0;
  virtual Reduction reduction() const { return Reduction::kSum; }
  // The kernel over items [begin, end). Must be safe to call concurrently and from forked children.
  virtual std::uint64_t run_slice(std::uint64_t begin, std::uint64_t end) const = 0;
  // The same, also saying how many items were really processed: fewer than end - begin when a
  // worker stopped early. Backends call this one.
  virtual std::uint64_t run_slice_counted(std::uint64_t begin, std::uint64_t end,
                                          std::uint64_t& done) const {
    done = end - begin;
    return run_slice(begin, end);
  }

  // Checks a combined result against what is known independently of any backend.
  virtual Verdict judge(std::uint64_t result) const = 0;
  // What sets one kernel apart from the others for the runner; the defaults hold for most.
  virtual WorkloadTraits traits() const { return {}; }

  // The IPC mechanism the kernel uses, which the runner drives (harness/backends/mechanism.hpp);
  // null for a kernel that uses none (the CSV's ipc column then says none).
  virtual Mechanism* mechanism() const { return nullptr; }
  // For a kernel whose work grows with the workers (count: each worker adds N times), the same
  // workload sized for `threads` threads of work in all; null where the size does not depend on
  // them. The runner asks for every configuration.
  virtual std::shared_ptr<const Workload> for_threads(int /*threads*/) const { return nullptr; }
  // Settles the result in the owner, before any worker is woken, where a cheap serial check can
  // (the book's pre-check of small divisors); nullopt: the workers must run.
  virtual std::optional<std::uint64_t> settle_before_split() const { return std::nullopt; }
};

}  // namespace parbench
