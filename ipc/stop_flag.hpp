// A stop flag: any worker raises it with what it found, every worker checks it now and then, and
// the owner resets it before each repetition. One file per mechanism, one registration line in
// stop_flags.cpp. The flag is created by the parent before the workers start, so forked workers
// inherit it; a mechanism that needs a name (a file, a key) carries it inside the object.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ipc/mechanism_settings.hpp"
#include "ipc/variant.hpp"

namespace parbench::ipc {

class StopFlag {
 public:
  virtual ~StopFlag() = default;
  // Raises the flag with a value (the factor found); the flag keeps the smallest value raised.
  virtual void raise(std::uint64_t value) = 0;
  // 0 while nobody has raised it.
  virtual std::uint64_t value() = 0;
  // Lowers the flag; called by the owner between repetitions, never while workers run.
  virtual void reset() = 0;
  // A measurement combined over the processes that made the flag together (MPI ranks each measure
  // their own checks and costs, and must check at one interval); `mine` where one process made it.
  enum class Across { kSum, kMin, kMax };
  virtual std::uint64_t across_owners(std::uint64_t mine, Across /*how*/) { return mine; }
  // Where workers on other hosts join this flag (MechanismSettings::join_key); nullopt where they
  // cannot.
  virtual std::optional<JoinPoint> join_point() const { return std::nullopt; }
};

// A flag says nothing beyond what every kind says (ipc/variant.hpp).
using StopFlagVariant = Variant<StopFlag>;
template <>
const std::vector<StopFlagVariant>& registered();  // stop_flags.cpp

StopFlagVariant atomic_flag_variant();
StopFlagVariant shm_flag_variant();
StopFlagVariant mmap_flag_variant();
StopFlagVariant shm_mutex_flag_variant();
StopFlagVariant mmap_file_flag_variant();
StopFlagVariant mmap_private_flag_variant();
StopFlagVariant broker_flag_variant();
StopFlagVariant tbb_cancel_flag_variant();  // only in builds with TBB
StopFlagVariant redis_flag_variant();       // only in builds with hiredis
StopFlagVariant mpi_rma_flag_variant();     // only in builds with MPI
StopFlagVariant mpi_msg_flag_variant();     // only in builds with MPI

// Keeps the smallest nonzero value in an atomic word: the shared logic of the memory-based flags.
template <typename Atomic>
void raise_to_min(Atomic& word, std::uint64_t value) {
  std::uint64_t seen = word.load();
  while ((seen == 0 || value < seen) && !word.compare_exchange_weak(seen, value)) {
  }
}

}  // namespace parbench::ipc
