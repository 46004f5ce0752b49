#include "harness/workloads/fill_workload.hpp"

#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <vector>

#include "harness/records/errors.hpp"
#include "harness/workloads/memory_budget.hpp"
#include "kernels/fill.hpp"

namespace parbench {
namespace {

const char* first_touch_name(FirstTouch t) {
  switch (t) {
    case FirstTouch::kParent:
      return "parent";
    case FirstTouch::kWorkers:
      return "workers";
    case FirstTouch::kPopulate:
      return "populate";
  }
  return "?";
}

// Where a row's hash goes into the array's checksum: the row's index counts, so a row written at
// the wrong place changes it.
std::uint64_t placed(std::uint64_t row_hash, std::uint64_t row) { return row_hash * (2 * row + 1); }

// What one pass over the array counts: the census of an array filled with ids (the book's final
// check) or the duplicate check of a random one. The python backend's workers count the same in
// Python (python/parbench_py/fill.py) and hand these names over.
struct Tally {
  std::uint64_t checksum = 0;
  std::uint64_t default_left = 0;
  std::uint64_t duplicated = 0;  // random rows
  std::uint64_t mixed = 0;       // id rows holding more than one id
  std::uint64_t ids = 0;
  std::uint64_t fewest = 0;  // rows of the id with the fewest
  std::uint64_t most = 0;
  std::uint64_t taken_written = 0;  // rows a worker found written already (Python's own check)
};

Tally tally(const FillSettings& s, std::span<const std::uint64_t> words) {
  Tally t;
  std::map<std::uint64_t, std::uint64_t> census;  // id -> rows
  std::vector<std::uint64_t> hashes;
  hashes.reserve(s.random ? s.rows : 0);
  for (std::uint64_t r = 0; r < s.rows; ++r) {
    const auto row = words.subspan(r * s.cols, s.cols);
    const std::uint64_t h = kernels::row_hash(row);
    t.checksum += placed(h, r);
    if (kernels::row_holds(row, s.default_word())) {
      ++t.default_left;
    } else if (s.random) {
      hashes.push_back(h);
    } else if (kernels::row_holds(row, row[0])) {
      ++census[row[0]];
    } else {
      ++t.mixed;
    }
  }
  std::sort(hashes.begin(), hashes.end());
  t.duplicated = hashes.size() - static_cast<std::uint64_t>(
                                     std::unique(hashes.begin(), hashes.end()) - hashes.begin());
  t.ids = census.size();
  t.fewest = census.empty() ? 0 : s.rows;
  for (const auto& [id, rows] : census) {
    t.fewest = std::min(t.fewest, rows);
    t.most = std::max(t.most, rows);
  }
  return t;
}

// The Python side's tallies, by the names fill.py gives them.
Tally tally_of(std::uint64_t checksum, const Measurements& m) {
  const auto count = [&m](const char* name) {
    const auto v = find_measurement(m, name);
    if (!v) throw std::runtime_error(fmt::format("the python fill did not tally {}", name));
    return static_cast<std::uint64_t>(*v);
  };
  return {checksum,
          count("default_left"),
          count("duplicated_rows"),
          count("mixed_rows"),
          count("census_ids"),
          count("census_min_rows"),
          count("census_max_rows"),
          count("taken_written")};
}

// The tally judged: the row's measurements and what is wrong with the array.
Inspection judged(const FillSettings& s, int threads, const Tally& t) {
  Inspection found;
  found.checksum = t.checksum;
  std::vector<std::string> problems;
  if (t.taken_written != 0) {
    problems.push_back(
        fmt::format("{} rows no longer held the default when a worker took them", t.taken_written));
  }
  if (t.default_left != 0) {
    problems.push_back(fmt::format("{} of {} rows still hold the default: no worker wrote them",
                                   t.default_left, s.rows));
  }
  if (s.random) {
    found.measurements.push_back({"duplicated_rows", static_cast<double>(t.duplicated)});
    if (t.duplicated != 0) {
      problems.push_back(fmt::format(
          "{} of {} rows repeat another row: the workers drew the same numbers from copies of one "
          "generator",
          t.duplicated, s.rows));
    }
  } else {
    found.measurements.push_back({"census_ids", static_cast<double>(t.ids)});
    found.measurements.push_back({"census_min_rows", static_cast<double>(t.fewest)});
    found.measurements.push_back({"census_max_rows", static_cast<double>(t.most)});
    if (t.mixed != 0)
      problems.push_back(fmt::format("{} rows hold more than one worker's id", t.mixed));
    if (threads > 0 && t.ids > static_cast<std::uint64_t>(threads))
      problems.push_back(
          fmt::format("{} worker ids in the census, from {} workers", t.ids, threads));
  }
  for (const auto& p : problems) found.problem += (found.problem.empty() ? "" : "; ") + p;
  return found;
}

class FillWorkload final : public Workload {
 public:
  FillWorkload(FillSettings settings, const ipc::BlockVariant& variant, bool from_all,
               int threads = 0)
      : s_(std::move(settings)),
        variant_(variant),
        from_all_(from_all),
        block_(std::make_shared<BlockMechanism>(
            variant, ipc::BlockSettings{s_.bytes(), s_.dir, s_.cols, s_.default_word()}, from_all,
            s_.first_touch,
            [s = s_, threads](std::span<const std::uint64_t> words) {
              return judged(s, threads, tally(s, words));
            },
            [s = s_, threads](std::uint64_t checksum, const Measurements& tallies) {
              return judged(s, threads, tally_of(checksum, tallies));
            })),
        shared_rng_(s_.seed) {}

  std::string kernel() const override { return "fill"; }
  std::string params() const override {
    return fmt::format("cols={};fill={};rng={};seed={};first_touch={};default={}", s_.cols,
                       s_.fill_name(), s_.rng_name(), s_.seed, first_touch_name(s_.first_touch),
                       std::bit_cast<double>(s_.default_word()));
  }
  std::vector<std::string> cli_args() const override {
    std::vector<std::string> args{"--rows",        std::to_string(s_.rows),
                                  "--cols",        std::to_string(s_.cols),
                                  "--fill",        s_.fill_name(),
                                  "--seed",        std::to_string(s_.seed),
                                  "--first-touch", first_touch_name(s_.first_touch),
                                  "--ipc",         variant_.name};
    if (!s_.dir.empty()) args.insert(args.end(), {"--dir", s_.dir});
    if (s_.random) args.insert(args.end(), {"--rng", s_.rng_name()});  // only random fills take it
    return args;
  }
  std::uint64_t size() const override { return s_.rows; }
  // Only the counter-based random array is the same whatever the workers; ids are theirs, and an
  // inherited generator's numbers depend on who drew first.
  WorkloadTraits traits() const override {
    return {.bytes_per_item = static_cast<double>(s_.cols * sizeof(std::uint64_t)),
            .must_match_serial = exact()};
  }
  Mechanism* mechanism() const override { return block_.get(); }
  bool exact() const { return s_.random && s_.rng == Rng::kCounter; }
  // Sized for the census (no more ids than workers) and checked against the memory budget with
  // the copies the variant keeps.
  std::shared_ptr<const Workload> for_threads(int threads) const override {
    const std::uint64_t need = s_.bytes() * variant_.copies(threads);
    if (need > memory_budget_bytes()) {
      throw UsageError(fmt::format(
          "fill with {} at {} workers holds {} arrays of {}: {}, more than the memory budget of {} "
          "(half the machine, or PARBENCH_MEMORY_BUDGET_MB)",
          variant_.name, threads, variant_.copies(threads), gib(s_.bytes()), gib(need),
          gib(memory_budget_bytes())));
    }
    return std::make_shared<FillWorkload>(s_, variant_, from_all_, threads);
  }

  std::uint64_t run_slice(std::uint64_t begin, std::uint64_t end) const override {
    ipc::SharedBlock& block = block_->block();
    ipc::WorkerLedger& ledger = block_->ledger();
    ledger.enrol();  // before the first touch: its faults are the repetition's
    const auto id = std::bit_cast<std::uint64_t>(static_cast<double>(::syscall(SYS_gettid)));
    const std::uint64_t fallback = s_.default_word();
    for (std::uint64_t r = begin; r < end; ++r) {
      std::span<std::uint64_t> row(block.for_writing(r * s_.cols, s_.cols), s_.cols);
      if (!kernels::row_holds(row, fallback)) ledger.found_written_row();
      if (!s_.random) {
        kernels::fill_row_with_id(row, id);
      } else if (s_.rng == Rng::kCounter) {
        kernels::fill_row_random(row, s_.seed, r);
      } else {
        draw_from_shared_generator(row);
      }
      block.written(r * s_.cols, s_.cols);
    }
    return end - begin;
  }

  Verdict judge(std::uint64_t checksum) const override {
    Verdict v;
    v.value = static_cast<double>(s_.bytes()) / 1e9;  // the array's GB, what GB/s divides
    v.valid = true;  // the census is the mechanism's (BlockMechanism::problem)
    if (exact() && checksum != expected_checksum()) {
      v.valid = false;
      v.error = fmt::format(
          "the array's checksum {:#x} is not the {:#x} of the random array computed directly",
          checksum, expected_checksum());
    }
    return v;
  }

 private:
  // The book's numpy mistake: one generator for all. Threads share it under a lock (right, slow);
  // forked workers each draw from their own copy of its state (wrong: identical rows).
  void draw_from_shared_generator(std::span<std::uint64_t> row) const {
    const std::lock_guard lock(rng_mutex_);
    for (auto& word : row)
      word = std::bit_cast<std::uint64_t>(static_cast<double>(shared_rng_() >> 11) * 0x1.0p-53);
  }
  // The counter-based array's checksum, row by row in a scratch row: no block, no backend.
  std::uint64_t expected_checksum() const {
    std::call_once(expected_once_, [this] {
      std::vector<std::uint64_t> row(s_.cols);
      for (std::uint64_t r = 0; r < s_.rows; ++r) {
        kernels::fill_row_random(row, s_.seed, r);
        expected_ += placed(kernels::row_hash(row), r);
      }
    });
    return expected_;
  }

  FillSettings s_;
  const ipc::BlockVariant& variant_;
  bool from_all_;
  std::shared_ptr<BlockMechanism> block_;
  mutable std::mutex rng_mutex_;
  mutable std::mt19937_64 shared_rng_;
  mutable std::once_flag expected_once_;
  mutable std::uint64_t expected_ = 0;
};

}  // namespace

std::shared_ptr<const Workload> make_fill_workload(const FillSettings& settings,
                                                   const ipc::BlockVariant& variant,
                                                   bool from_all) {
  return std::make_shared<FillWorkload>(settings, variant, from_all);
}

// "11.8 GiB", "96.0 MiB".
std::string gib(std::uint64_t bytes) {
  const auto b = static_cast<double>(bytes);
  return bytes >= (1ULL << 30) ? fmt::format("{:.1f} GiB", b / double(1ULL << 30))
                               : fmt::format("{:.1f} MiB", b / double(1ULL << 20));
}

}  // namespace parbench
