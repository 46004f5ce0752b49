// What a sweep's chunk means on a cluster (`parbench sweep --for-ranks R[:S]`). Under the mpi
// backend's dynamic schedule rank 0 spends s of its own time per request it answers (the probe that
// finds it, its receive, the answer's send: s = iprobe + or + os). Saturated, it answers the K
// chunks' requests and then every other rank's last one ("none left"), (K + R - 1) * s in all, so R
// ranks reach an efficiency of c*t / (R*s) * K / (K + R - 1) at most (c items of t seconds a chunk,
// K = N / c). The smallest chunk for 0.9 follows; none exists once rank 0's R - 1 last answers
// alone outweigh the work. That holds while every rank gets about 10 chunks or more (K / R); with
// fewer, the ranks wait for their first answers and idle in the last round, and static or cyclic,
// which ask rank 0 nothing, win. The model and its check on 2 to 1024 simulated ranks:
// docs/clusters.md, section 7.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parbench::cli {

// The efficiency the advice keeps, and the fewest chunks per rank the model holds for.
inline constexpr double kTargetEfficiency = 0.9;
inline constexpr double kFewestChunksPerRank = 10.0;

// A network described by rank 0's time per chunk (seconds).
struct ChunkNetwork {
  std::string name;
  double service_s = 0.0;
};

// The three platforms of scripts/cluster/platforms/ (their iprobe + or + os).
const std::vector<ChunkNetwork>& documented_networks();

// --for-ranks R[:S]: R ranks, and S microseconds of rank 0's time per chunk (the user's own
// network) or none (the documented platforms). Bad text is a UsageError naming the option.
struct ForRanks {
  int ranks = 0;
  std::optional<double> service_s;
};
ForRanks parse_for_ranks(const std::string& text);

struct ChunkAdvice {
  bool possible = false;    // some chunk reaches 0.9 (else rank 0's last answers outweigh the work)
  std::uint64_t chunk = 0;  // the smallest such c, at most `items`; 0 when none
  double chunks_per_rank = 0.0;  // K / R at that chunk, K = ceil(items / chunk)
  bool dynamic_holds = false;  // possible and K / R >= kFewestChunksPerRank: else static or cyclic
};
// For `ranks` ranks, rank 0's `service_s` per chunk and `item_s` seconds of work per item of
// `items` items.
ChunkAdvice smallest_chunk(int ranks, double service_s, double item_s, std::uint64_t items);

}  // namespace parbench::cli
