// fill: the book's "Sharing numpy data with multiprocessing". An array of --rows x --cols 8-byte
// doubles lives in one shared block (the --ipc variant under test, a mechanism the runner drives);
// the items are rows. A worker checks that each row it takes still holds the default and writes it:
// with its own id (--fill id, the book's os.getpid(); a thread's id under threads) or with random
// doubles (--fill random). After each repetition, outside the timed part, the whole array is
// verified: a census per worker id with no default left, or the random array's checksum against
// one computed without any backend, and no row twice.
#include <fmt/format.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <mutex>
#include <random>
#include <vector>

#include "harness/errors.hpp"
#include "harness/kernels/ipc_options.hpp"
#include "harness/kernels/kernel_spec.hpp"
#include "harness/kernels/memory_budget.hpp"
#include "harness/mechanisms/block_mechanism.hpp"
#include "harness/parse.hpp"
#include "harness/reporters/fill_table.hpp"
#include "kernels/fill.hpp"

namespace parbench {
namespace {

// The book's array: 10,000 x 320,000 doubles holding 42 (25.6 GB).
constexpr std::uint64_t kBookRows = 10000;
constexpr std::uint64_t kBookCols = 320000;
constexpr double kBookDefault = 42.0;
constexpr std::uint64_t kDefaultRows = 1024;
constexpr std::uint64_t kDefaultCols = 32768;  // a 256 KiB row

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

// "11.8 GiB", "96.0 MiB".
std::string gib(std::uint64_t bytes) {
  const auto b = static_cast<double>(bytes);
  return bytes >= (1ULL << 30) ? fmt::format("{:.1f} GiB", b / double(1ULL << 30))
                               : fmt::format("{:.1f} MiB", b / double(1ULL << 20));
}

// The census of an array filled with ids (the book's final check) or the duplicate check of a
// random one.
Inspection inspect(const FillSettings& s, int threads, std::span<const std::uint64_t> words) {
  Inspection found;
  std::uint64_t default_left = 0;
  std::uint64_t mixed = 0;
  std::map<std::uint64_t, std::uint64_t> census;  // id -> rows
  std::vector<std::uint64_t> hashes;
  hashes.reserve(s.random ? s.rows : 0);
  for (std::uint64_t r = 0; r < s.rows; ++r) {
    const auto row = words.subspan(r * s.cols, s.cols);
    const std::uint64_t h = kernels::row_hash(row);
    found.checksum += placed(h, r);
    if (kernels::row_holds(row, s.default_word())) {
      ++default_left;
    } else if (s.random) {
      hashes.push_back(h);
    } else if (kernels::row_holds(row, row[0])) {
      ++census[row[0]];
    } else {
      ++mixed;
    }
  }
  std::vector<std::string> problems;
  if (default_left != 0) {
    problems.push_back(fmt::format("{} of {} rows still hold the default: no worker wrote them",
                                   default_left, s.rows));
  }
  if (s.random) {
    std::sort(hashes.begin(), hashes.end());
    const auto distinct =
        static_cast<std::uint64_t>(std::unique(hashes.begin(), hashes.end()) - hashes.begin());
    const std::uint64_t duplicated = s.rows - default_left - distinct;
    found.measurements.push_back({"duplicated_rows", static_cast<double>(duplicated)});
    if (duplicated != 0) {
      problems.push_back(fmt::format(
          "{} of {} rows repeat another row: the workers drew the same numbers from copies of one "
          "generator",
          duplicated, s.rows));
    }
  } else {
    std::uint64_t fewest = census.empty() ? 0 : s.rows;
    std::uint64_t most = 0;
    for (const auto& [id, rows] : census) {
      fewest = std::min(fewest, rows);
      most = std::max(most, rows);
    }
    found.measurements.push_back({"census_ids", static_cast<double>(census.size())});
    found.measurements.push_back({"census_min_rows", static_cast<double>(fewest)});
    found.measurements.push_back({"census_max_rows", static_cast<double>(most)});
    if (mixed != 0)
      problems.push_back(fmt::format("{} rows hold more than one worker's id", mixed));
    if (threads > 0 && census.size() > static_cast<std::size_t>(threads)) {
      problems.push_back(
          fmt::format("{} worker ids in the census, from {} workers", census.size(), threads));
    }
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
              return inspect(s, threads, words);
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
  std::optional<double> bytes_per_item() const override {
    return static_cast<double>(s_.cols * sizeof(std::uint64_t));
  }
  Mechanism* mechanism() const override { return block_.get(); }
  // Only the counter-based random array is the same whatever the workers; ids are theirs, and an
  // inherited generator's numbers depend on who drew first.
  bool must_match_serial() const override { return s_.random && s_.rng == Rng::kCounter; }
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
    if (must_match_serial() && checksum != expected_checksum()) {
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

// "4G", "512M", "1e9": bytes, binary suffixes. Errors quote what was typed, suffix included.
std::uint64_t parse_bytes(const std::string& given) {
  std::string text = given;
  std::uint64_t unit = 1;
  if (!text.empty()) {
    const char last = static_cast<char>(std::toupper(static_cast<unsigned char>(text.back())));
    const std::string units = "KMGT";
    if (const auto at = units.find(last); at != std::string::npos) {
      unit = 1ULL << (10 * (at + 1));
      text.pop_back();
    }
  }
  std::uint64_t n = 0;
  try {
    n = parse_count(text, "--bytes");
  } catch (const UsageError&) {
    throw UsageError(fmt::format(
        "--bytes must be a whole number of bytes, with K, M, G or T for binary units (4G, "
        "1536M, 1e9); got '{}'",
        given));
  }
  if (n > (1ULL << 62) / unit) throw UsageError("--bytes " + given + ": too large");
  return n * unit;
}

class FillSpec final : public KernelSpec {
 public:
  explicit FillSpec(std::shared_ptr<IpcOptions> ipc) : ipc_(std::move(ipc)) {}

  std::string name() const override { return "fill"; }
  std::string summary() const override {
    return "workers fill the rows of one big shared array: the book's shared numpy array";
  }

  void add_options(CLI::App& run) override {
    ipc_->add_to(run);
    auto* group = run.add_option_group("fill", "Options of the fill kernel");
    group->add_option("--rows", rows_, "Rows of the array: the work items (default 1024)");
    group->add_option("--cols", cols_, "8-byte elements per row (default 32768: 256 KiB)");
    group->add_option("--bytes", bytes_,
                      "The array's size instead of --rows, e.g. 4G (K, M, G, T: binary)");
    group
        ->add_option("--size", size_,
                     "book: the book's 10,000 x 320,000 doubles (25.6 GB), where the memory budget "
                     "allows")
        ->check(CLI::IsMember({"book"}));
    group
        ->add_option("--fill", fills_,
                     "id: each worker writes its id (the book); random: random doubles; a list")
        ->delimiter(',')
        ->check(CLI::IsMember({"id", "random"}))
        ->capture_default_str();
    rng_option_ =
        group
            ->add_option(
                "--rng", rngs_,
                "random fills: counter (a stream per row) or inherited (the book's mistake: "
                "one generator whose state forked workers copy); a list")
            ->delimiter(',')
            ->check(CLI::IsMember({"counter", "inherited"}))
            ->capture_default_str();
    group->add_option("--seed", seed_, "Seed of the random fills")->capture_default_str();
    group
        ->add_option("--first-touch", touches_,
                     "Who faults the pages in before each repetition: parent, workers (fresh pages "
                     "each time, default 0) or populate; a list")
        ->delimiter(',')
        ->check(CLI::IsMember({"parent", "workers", "populate"}))
        ->capture_default_str();
    group->add_option("--dir", dir_,
                      "mmap-file: the directory of the mapped file (default /dev/shm, tmpfs)");
  }

  std::vector<std::string> ipc_names() const override {
    return ipc_names_of(ipc::registered<ipc::BlockVariant>(), false);
  }
  std::optional<KernelTable> table() const override {
    return KernelTable{
        "The fill table: shared blocks x backends x workers, GB/s against memset, page faults, "
        "PSS and RSS per worker process, bytes copied, the census",
        make_fill_table, table_from_rows<cell_of_reps<fill_cell>, print_fill_table>};
  }

  std::vector<std::shared_ptr<const Workload>> workloads() const override {
    const bool any_random = std::find(fills_.begin(), fills_.end(), "random") != fills_.end();
    if (rng_option_->count() > 0 && !any_random)
      throw UsageError("--rng chooses the generator of random fills: give it with --fill random");
    FillSettings base = shape();
    base.seed = parse_u64(seed_, "--seed");
    base.dir = dir_;
    const std::uint64_t budget = memory_budget_bytes();
    if (base.bytes() > budget) {
      throw UsageError(fmt::format(
          "a {} x {} array is {}, more than the memory budget of {} (half the machine, or "
          "PARBENCH_MEMORY_BUDGET_MB); at most {} rows of {} fit",
          base.rows, base.cols, gib(base.bytes()), gib(budget), budget / (base.cols * 8),
          base.cols));
    }
    const auto chosen =
        choose(ipc_->mine(ipc_names(), {"all"}), ipc::registered<ipc::BlockVariant>(), false,
               ipc::BlockSettings{base.bytes(), base.dir, base.cols}, "shared-block");
    std::vector<std::shared_ptr<const Workload>> list;
    for (const auto& fill : fills_) {
      // The generator matters only to random fills.
      const auto rngs = fill == "random" ? rngs_ : std::vector<std::string>{"counter"};
      for (const auto& rng : rngs) {
        for (const auto& touch : touches_) {
          FillSettings s = base;
          s.random = fill == "random";
          s.rng = rng == "inherited" ? Rng::kInherited : Rng::kCounter;
          s.first_touch = touch == "workers"    ? FirstTouch::kWorkers
                          : touch == "populate" ? FirstTouch::kPopulate
                                                : FirstTouch::kParent;
          for (const auto& v : chosen)
            list.push_back(std::make_shared<FillWorkload>(s, *v.variant, v.from_all));
        }
      }
    }
    return list;
  }

 private:
  FillSettings shape() const {
    FillSettings s;
    if (!size_.empty() && (!rows_.empty() || !cols_.empty() || !bytes_.empty()))
      throw UsageError(
          "--size book sets the array's shape: give it without --rows, --cols, --bytes");
    if (!rows_.empty() && !bytes_.empty())
      throw UsageError("give the array's rows (--rows) or its size (--bytes), not both");
    if (!size_.empty()) {
      s.rows = kBookRows;
      s.cols = kBookCols;
      return s;
    }
    if (!cols_.empty()) s.cols = parse_count(cols_, "--cols");
    if (!rows_.empty()) s.rows = parse_count(rows_, "--rows");
    if (!bytes_.empty()) {
      const std::uint64_t bytes = parse_bytes(bytes_);
      s.rows = bytes / (s.cols * 8);
      if (s.rows == 0) {
        throw UsageError(
            fmt::format("--bytes {} is less than one row of {} elements", bytes_, s.cols));
      }
    }
    if (s.cols > (1ULL << 40) / s.rows)
      throw UsageError(fmt::format("a {} x {} array is too large", s.rows, s.cols));
    return s;
  }

  std::shared_ptr<IpcOptions> ipc_;
  std::string rows_;
  std::string cols_;
  std::string bytes_;
  std::string size_;
  std::vector<std::string> fills_{"id"};
  std::vector<std::string> rngs_{"counter"};
  CLI::Option* rng_option_ = nullptr;
  std::string seed_ = "2026";
  std::vector<std::string> touches_{"parent"};
  std::string dir_;
};

}  // namespace

std::unique_ptr<KernelSpec> make_fill_spec(std::shared_ptr<IpcOptions> ipc) {
  return std::make_unique<FillSpec>(std::move(ipc));
}

}  // namespace parbench
