// How a backend hands a workload's items to its workers. Every backend implements the hand-out with
// its own primitive (an atomic, a counter in shared memory, a TBB partitioner, an MPI master, a
// queue); the loop a worker runs over what it is handed is this file's, the same for all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/backends/partition.hpp"
#include "harness/backends/workload.hpp"
#include "harness/records/clock.hpp"
#include "harness/records/worker_report.hpp"

namespace parbench {

enum class ScheduleKind {
  kStatic,   // one contiguous block per worker
  kCyclic,   // chunks dealt round-robin: chunk c to worker c mod W
  kDynamic,  // chunks claimed from a shared counter as workers become free
  kQueue,    // chunks pushed into a queue by a feeder running alongside the workers, one pill per
             // worker
  kAuto,     // TBB's auto_partitioner decides (tbb only)
};

struct Schedule {
  ScheduleKind kind = ScheduleKind::kStatic;
  std::uint64_t chunk = 1000;  // items per chunk, for every kind but static and auto
  std::string name() const;
};

std::optional<ScheduleKind> schedule_from_name(std::string_view name);
std::string schedule_name(ScheduleKind kind);
std::vector<std::string> schedule_names();  // every kind, for "known:" lists and CLI checks

// The number of chunks of `chunk` items in `size` items; 0 for the chunkless schedules (chunk 0).
constexpr std::uint64_t chunk_count(std::uint64_t size, std::uint64_t chunk) {
  return chunk == 0 ? 0 : (size + chunk - 1) / chunk;
}
constexpr Slice chunk_slice(std::uint64_t size, std::uint64_t chunk, std::uint64_t index) {
  const std::uint64_t begin = index * chunk;
  return {begin, size - begin < chunk ? size : begin + chunk};
}

// What one worker computed: its folded partial result and its load.
struct WorkerShare {
  std::uint64_t value = 0;
  WorkerReport report;
};

// Runs one slice and folds it into the worker's share: the step every worker's loop repeats.
inline void take_slice(const Workload& work, WorkerShare& share, Slice slice) {
  if (slice.size() == 0) return;
  std::uint64_t done = 0;
  share.value =
      fold(work.reduction(), share.value, work.run_slice_counted(slice.begin, slice.end, done));
  share.report.items += done;
}

// The loop every worker runs. `claim` hands out the next chunk index for the dynamic and queue
// schedules and returns nullopt when there is none left; static and cyclic need no hand-out.
template <typename Claim>
WorkerShare run_share(const Workload& work, const Schedule& schedule, std::uint64_t worker,
                      std::uint64_t workers, Claim&& claim) {
  const Reduction r = work.reduction();
  const std::uint64_t size = work.size();
  WorkerShare share{reduction_identity(r), {}};
  const auto take = [&](Slice slice) { take_slice(work, share, slice); };

  const double t0 = monotonic_s();
  switch (schedule.kind) {
    case ScheduleKind::kStatic:
    case ScheduleKind::kAuto:
      take(static_block(size, workers, worker));
      break;
    case ScheduleKind::kCyclic:
      for (std::uint64_t c = worker; c < chunk_count(size, schedule.chunk); c += workers) {
        take(chunk_slice(size, schedule.chunk, c));
      }
      break;
    case ScheduleKind::kDynamic:
    case ScheduleKind::kQueue:
      while (const std::optional<std::uint64_t> c = claim())
        take(chunk_slice(size, schedule.chunk, *c));
      break;
  }
  share.report.busy_s = monotonic_s() - t0;
  return share;
}

}  // namespace parbench
