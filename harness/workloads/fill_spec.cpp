// fill on the command line: its options, and one workload per fill, generator, first touch and
// shared-block variant. The workload itself is fill_workload.cpp; the block's life is the runner's.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "harness/backends/number_options.hpp"
#include "harness/backends/parse.hpp"
#include "harness/records/errors.hpp"
#include "harness/reporters/fill_table.hpp"
#include "harness/workloads/fill_workload.hpp"
#include "harness/workloads/ipc_options.hpp"
#include "harness/workloads/kernel_spec.hpp"
#include "harness/workloads/memory_budget.hpp"
#include "harness/workloads/seed_option.hpp"

namespace parbench {
namespace {

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
  FillSpec(std::shared_ptr<IpcOptions> ipc, std::shared_ptr<SeedOption> seed)
      : ipc_(std::move(ipc)), seed_(std::move(seed)) {}

  std::string name() const override { return "fill"; }
  std::string summary() const override {
    return "workers fill the rows of one big shared array: the book's shared numpy array";
  }

  void add_options(CLI::App& run) override {
    ipc_->add_to(run);
    auto* group = run.add_option_group("fill", "Options of the fill kernel");
    rows_option_ =
        group->add_option("--rows", rows_, "Rows of the array: the work items (default 1024)")
            ->transform(whole_count(1, kMaxCount));
    cols_option_ =
        group->add_option("--cols", cols_, "8-byte elements per row (default 32768: 256 KiB)")
            ->transform(whole_count(1, kMaxCount));
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
    seed_->add_to(run);
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
      // The generator and its seeds matter only to random fills.
      const bool random = fill == "random";
      const auto rngs = random ? rngs_ : std::vector<std::string>{"counter"};
      const auto seeds =
          random ? seed_->or_default(kDefaultSeed) : std::vector<std::uint64_t>{kDefaultSeed};
      for (const auto& rng : rngs) {
        for (const std::uint64_t seed : seeds) {
          for (const auto& touch : touches_) {
            FillSettings s = base;
            s.random = random;
            s.rng = rng == "inherited" ? Rng::kInherited : Rng::kCounter;
            s.seed = seed;
            s.first_touch = touch == "workers"    ? FirstTouch::kWorkers
                            : touch == "populate" ? FirstTouch::kPopulate
                                                  : FirstTouch::kParent;
            for (const auto& v : chosen)
              list.push_back(make_fill_workload(s, *v.variant, v.from_all));
          }
        }
      }
    }
    return list;
  }

 private:
  FillSettings shape() const {
    FillSettings s;
    const bool rows_given = rows_option_->count() > 0;
    const bool cols_given = cols_option_->count() > 0;
    if (!size_.empty() && (rows_given || cols_given || !bytes_.empty()))
      throw UsageError(
          "--size book sets the array's shape: give it without --rows, --cols, --bytes");
    if (rows_given && !bytes_.empty())
      throw UsageError("give the array's rows (--rows) or its size (--bytes), not both");
    if (!size_.empty()) {
      s.rows = kBookRows;
      s.cols = kBookCols;
      return s;
    }
    if (cols_given) s.cols = cols_;
    if (rows_given) s.rows = rows_;
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
  std::uint64_t rows_ = 0;  // when given (rows_option_), else the default shape's
  std::uint64_t cols_ = 0;
  CLI::Option* rows_option_ = nullptr;
  CLI::Option* cols_option_ = nullptr;
  std::string bytes_;
  std::string size_;
  std::vector<std::string> fills_{"id"};
  std::vector<std::string> rngs_{"counter"};
  CLI::Option* rng_option_ = nullptr;
  static constexpr std::uint64_t kDefaultSeed = 2026;  // the rows of earlier CSVs
  std::shared_ptr<SeedOption> seed_;
  std::vector<std::string> touches_{"parent"};
  std::string dir_;
};

}  // namespace

std::unique_ptr<KernelSpec> make_fill_spec(std::shared_ptr<IpcOptions> ipc,
                                           std::shared_ptr<SeedOption> seed) {
  return std::make_unique<FillSpec>(std::move(ipc), std::move(seed));
}

}  // namespace parbench
