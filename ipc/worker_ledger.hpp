// Which processes did a repetition's work, and what it cost them in page faults and memory: the
// book's "pmap shows each child holding a quarter of the array" as figures. Lives in one shared
// anonymous mapping the owner makes before the workers start, so forked workers write to the same
// ledger. A worker enrols its process once per repetition, before it touches anything, noting its
// fault counters; the owner, after the repetition, reads each enrolled process's counters and
// memory from /proc while the workers still exist (pools live for the whole configuration).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>

#include "ipc/mapping.hpp"

namespace parbench::ipc {

struct ProcessCost {
  std::uint64_t processes = 0;     // enrolled in this repetition
  std::uint64_t minor_faults = 0;  // summed over them, since each enrolled
  std::uint64_t major_faults = 0;
  double rss_mb_mean = 0.0;  // resident memory per process at the end (MiB)
  double pss_mb_mean = 0.0;  // proportional share (shared pages divided among their users)
  double pss_mb_max = 0.0;
};

class WorkerLedger {
 public:
  WorkerLedger();
  // Owner, before each repetition, once its own preparation is done.
  void next_repetition() noexcept;
  // Worker, before it touches the array: cheap once its process is enrolled.
  void enrol();
  // Worker: a row it took did not hold the default (another worker had written it).
  void found_written_row() noexcept;
  // Owner, after the repetition, while the workers still exist.
  ProcessCost cost() const;
  std::uint64_t written_rows_found() const noexcept;

 private:
  static constexpr int kSlots = 256;
  struct Slot {
    std::atomic<pid_t> pid;
    std::atomic<std::uint64_t> claimed_for;  // the repetition its counters were noted in
    std::atomic<std::uint64_t> ready_for;    // ...and that they are noted
    std::atomic<std::uint64_t> minor0;
    std::atomic<std::uint64_t> major0;
  };
  struct Page {
    std::atomic<std::uint64_t> repetition;
    std::atomic<std::uint64_t> written_rows;
    Slot slots[kSlots];
  };
  Mapping mapping_;
  Page* page_;
  // This process's last enrolment (each forked worker has its own copy of the object).
  std::atomic<std::uint64_t> enrolled_for_{0};
};

}  // namespace parbench::ipc
