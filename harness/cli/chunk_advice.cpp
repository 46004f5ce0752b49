#include "harness/cli/chunk_advice.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "harness/backends/parse.hpp"
#include "harness/records/errors.hpp"

namespace parbench::cli {

const std::vector<ChunkNetwork>& documented_networks() {
  // s = iprobe + or + os of each platform file: 1.3 + 0.2 + 7.1 us on this VM's TCP (measured,
  // local-slurm.xml) and on 10 GbE, 0.05 + 0.3 + 0.3 us on the fat tree; the simulated saturated
  // runs handed out one chunk per 8.7-9.1 and 0.66-0.68 us.
  static const std::vector<ChunkNetwork> networks{
      {"local-slurm", 8.6e-6}, {"ethernet-10g", 8.6e-6}, {"infiniband-fat-tree", 0.65e-6}};
  return networks;
}

ForRanks parse_for_ranks(const std::string& text) {
  const auto colon = text.find(':');
  ForRanks out;
  out.ranks = parse_small_int(text.substr(0, colon), "--for-ranks", 1, 1 << 24);
  if (colon == std::string::npos) return out;
  const std::string micro = text.substr(colon + 1);
  double us = 0;
  const auto [end, ec] = std::from_chars(micro.data(), micro.data() + micro.size(), us);
  if (ec != std::errc() || end != micro.data() + micro.size() || !std::isfinite(us) || us <= 0 ||
      us > 1e6) {
    throw UsageError(fmt::format(
        "--for-ranks R:S: S must be rank 0's microseconds per chunk, a number over 0 up to 1e6; "
        "got '{}'",
        micro));
  }
  out.service_s = us * 1e-6;
  return out;
}

ChunkAdvice smallest_chunk(int ranks, double service_s, double item_s, std::uint64_t items) {
  ChunkAdvice a;
  // c*t / (R*s) * N / (N + c*(R-1)) >= 0.9, K = N / c, solved for c:
  //   c >= 0.9 R s N / (t N - 0.9 R s (R - 1)), where t N > 0.9 R s (R - 1).
  const double n = static_cast<double>(items);
  const double rank0 = kTargetEfficiency * ranks * service_s;
  const double room = item_s * n - rank0 * (ranks - 1);
  if (items == 0 || room <= 0) return a;
  const double bound = std::ceil(rank0 * n / room);
  if (bound > n) return a;
  a.possible = true;
  a.chunk = std::max<std::uint64_t>(static_cast<std::uint64_t>(bound), 1);
  a.chunks_per_rank = static_cast<double>((items + a.chunk - 1) / a.chunk) / ranks;
  a.dynamic_holds = a.chunks_per_rank >= kFewestChunksPerRank;
  return a;
}

}  // namespace parbench::cli
