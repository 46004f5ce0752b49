// fill: the book's "Sharing numpy data with multiprocessing". An array of --rows x --cols 8-byte
// doubles lives in one shared block (the --ipc variant under test, a mechanism the runner drives);
// the items are rows. A worker checks that each row it takes still holds the default and writes it:
// with its own id (--fill id, the book's os.getpid(); a thread's id under threads) or with random
// doubles (--fill random). After each repetition, outside the timed part, the whole array is
// verified: a census per worker id with no default left, or the random array's checksum against
// one computed without any backend, and no row twice.
#pragma once

#include <bit>
#include <cstdint>
#include <memory>
#include <string>

#include "harness/backends/workload.hpp"
#include "harness/mechanisms/block_mechanism.hpp"
#include "ipc/shared_block.hpp"

namespace parbench {

// The book's array: 10,000 x 320,000 doubles holding 42 (25.6 GB).
inline constexpr std::uint64_t kBookRows = 10000;
inline constexpr std::uint64_t kBookCols = 320000;
inline constexpr double kBookDefault = 42.0;
inline constexpr std::uint64_t kDefaultRows = 1024;
inline constexpr std::uint64_t kDefaultCols = 32768;  // a 256 KiB row

enum class Rng {
  kCounter,    // one counter-based stream per row: the same array whatever the split
  kInherited,  // the book's mistake: one generator, seeded in the owner, copied into every fork
};

struct FillSettings {
  std::uint64_t rows = kDefaultRows;
  std::uint64_t cols = kDefaultCols;
  bool random = false;
  Rng rng = Rng::kCounter;
  std::uint64_t seed = 2026;
  FirstTouch first_touch = FirstTouch::kParent;
  std::string dir;
  std::uint64_t bytes() const { return rows * cols * sizeof(std::uint64_t); }
  // Under --first-touch workers nobody writes the default: it is what a fresh page reads as.
  std::uint64_t default_word() const {
    return first_touch == FirstTouch::kWorkers ? 0 : std::bit_cast<std::uint64_t>(kBookDefault);
  }
  const char* fill_name() const { return random ? "random" : "id"; }
  const char* rng_name() const { return rng == Rng::kCounter ? "counter" : "inherited"; }
};

// One fill workload: `settings` filled into `variant`'s block (from_all: chosen by --ipc all).
std::shared_ptr<const Workload> make_fill_workload(const FillSettings& settings,
                                                   const ipc::BlockVariant& variant, bool from_all);

// "11.8 GiB", "96.0 MiB": sizes in the kernel's messages.
std::string gib(std::uint64_t bytes);

}  // namespace parbench
