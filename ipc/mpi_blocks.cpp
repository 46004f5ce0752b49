// mpi-shared and mpi-gather: the array among the ranks of an MPI job. Two variants, one file: they
// differ in how the rows reach rank 0, which verifies the array.
//   mpi-shared  MPI_Win_allocate_shared: one block on the node, which every rank maps and fills in
//               place, zero copy (MPI-3 shared memory). One node only: rows written in another
//               node's block would never reach rank 0's, so a job across nodes is refused.
//   mpi-gather  each rank fills its rows in a buffer of its own (each row set to the default as the
//               rank takes it, the rank's local copy of that row) and, once its share is done,
//               inside the timed part, MPI_Gatherv brings every rank's rows to rank 0, which copies
//               each into its place: the message-passing way, and its copies.
// Each rank keeps its own ledger (ipc/worker_ledger.hpp); across_processes() sums them on rank 0.
#include <mpi.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "ipc/mapping.hpp"
#include "ipc/mpi_flag_support.hpp"
#include "ipc/shared_block.hpp"

namespace parbench::ipc {
namespace {

class MpiBlock : public SharedBlock {
 public:
  explicit MpiBlock(const char* name) : name_(name), comm_(mpi_flag::duplicate_world(name)) {
    mpi_check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank", name_);
    mpi_check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size", name_);
  }
  ~MpiBlock() override {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised == 0 && comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
  }
  MpiBlock(const MpiBlock&) = delete;
  MpiBlock& operator=(const MpiBlock&) = delete;

  bool holds_array() const override { return rank_ == 0; }

  ProcessCost across_processes(const ProcessCost& mine) override {
    const double n = static_cast<double>(mine.processes);
    const double sums[] = {n, static_cast<double>(mine.minor_faults),
                           static_cast<double>(mine.major_faults), mine.rss_mb_mean * n,
                           mine.pss_mb_mean * n};
    double all[5] = {};
    double pss_max = 0.0;
    mpi_check(MPI_Reduce(sums, all, 5, MPI_DOUBLE, MPI_SUM, 0, comm_), "MPI_Reduce", name_);
    mpi_check(MPI_Reduce(&mine.pss_mb_max, &pss_max, 1, MPI_DOUBLE, MPI_MAX, 0, comm_),
              "MPI_Reduce", name_);
    ProcessCost c;
    c.processes = static_cast<std::uint64_t>(all[0]);
    c.minor_faults = static_cast<std::uint64_t>(all[1]);
    c.major_faults = static_cast<std::uint64_t>(all[2]);
    if (all[0] > 0) {
      c.rss_mb_mean = all[3] / all[0];
      c.pss_mb_mean = all[4] / all[0];
    }
    c.pss_mb_max = pss_max;
    return c;
  }

 protected:
  const char* name_;
  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
};

class MpiSharedBlock final : public MpiBlock {
 public:
  explicit MpiSharedBlock(const BlockSettings& s) : MpiBlock("mpi-shared"), bytes_(s.bytes) {
    MPI_Comm node = MPI_COMM_NULL;
    mpi_check(MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node),
              "MPI_Comm_split_type", name_);
    int on_node = 0;
    mpi_check(MPI_Comm_size(node, &on_node), "MPI_Comm_size", name_);
    MPI_Comm_free(&node);
    if (on_node != size_) {  // the same answer in every rank: all refuse together
      MPI_Comm_free(&comm_);
      throw Unreachable(
          "mpi-shared: its block is shared by the ranks of one node, and these ranks span several "
          "nodes (rows written on another node would never reach rank 0's block)");
    }
    void* base = nullptr;
    mpi_flag::made_everywhere(
        comm_,
        MPI_Win_allocate_shared(rank_ == 0 ? static_cast<MPI_Aint>(bytes_) : 0,
                                sizeof(std::uint64_t), MPI_INFO_NULL, comm_, &base, &window_),
        "MPI_Win_allocate_shared", name_, "this MPI library cannot share memory among these ranks");
    MPI_Aint size = 0;
    int unit = 0;
    mpi_check(MPI_Win_shared_query(window_, 0, &size, &unit, &base), "MPI_Win_shared_query", name_);
    words_ = {static_cast<std::uint64_t*>(base), bytes_ / sizeof(std::uint64_t)};
    // One passive epoch for the block's life: MPI_Win_sync then orders the ranks' plain loads
    // and stores around the barriers (the unified memory model).
    mpi_check(MPI_Win_lock_all(MPI_MODE_NOCHECK, window_), "MPI_Win_lock_all", name_);
    mpi_flag::made_now(comm_, name_);
  }
  ~MpiSharedBlock() override {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised != 0) return;
    MPI_Win_unlock_all(window_);
    MPI_Win_free(&window_);
  }

  std::span<std::uint64_t> words() override { return words_; }
  // Rank 0 prepares the node's one block; the others only map it.
  void discard() override {
    if (rank_ == 0) discard_pages(words_.data(), bytes_, true);
  }
  void populate() override {
    if (rank_ == 0) populate_pages(words_.data(), bytes_);
  }
  // Rank 0's default, written just before, is seen by every rank before any starts.
  void before_repetition() override { synchronise(); }
  void complete_share() override {
    mpi_check(MPI_Win_sync(window_), "MPI_Win_sync", name_);  // this rank's rows, published
  }
  std::uint64_t after_repetition() override {
    synchronise();  // every rank's rows, seen by rank 0
    return 0;
  }

 private:
  void synchronise() {
    mpi_check(MPI_Win_sync(window_), "MPI_Win_sync", name_);
    mpi_check(MPI_Barrier(comm_), "MPI_Barrier", name_);
    mpi_check(MPI_Win_sync(window_), "MPI_Win_sync", name_);
  }

  std::uint64_t bytes_;
  MPI_Win window_ = MPI_WIN_NULL;
  std::span<std::uint64_t> words_;
};

class MpiGatherBlock final : public MpiBlock {
 public:
  explicit MpiGatherBlock(const BlockSettings& s)
      : MpiBlock("mpi-gather"),
        row_words_(s.row_words),
        default_word_(s.default_word),
        // Rank 0: the array, and room for every other rank's rows as they arrive; the others:
        // room for their rows. Untouched pages cost nothing, so each is the whole array's size.
        mine_(s.bytes, MAP_PRIVATE | MAP_ANONYMOUS, -1, Mapping::Kind::kPrivate,
              rank_ == 0 ? "rank 0's array" : "a rank's rows"),
        arrived_(rank_ == 0 ? Mapping(s.bytes, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                                      Mapping::Kind::kPrivate, "the gathered rows")
                            : Mapping()) {
    mpi_check(MPI_Type_contiguous(static_cast<int>(row_words_), MPI_UINT64_T, &row_type_),
              "MPI_Type_contiguous", name_);
    mpi_check(MPI_Type_commit(&row_type_), "MPI_Type_commit", name_);
    mpi_flag::made_now(comm_, name_);
  }
  ~MpiGatherBlock() override {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised == 0) MPI_Type_free(&row_type_);
  }

  // Rank 0's array; the other ranks hold none.
  std::span<std::uint64_t> words() override {
    return rank_ == 0 ? mine_.words() : std::span<std::uint64_t>{};
  }
  void discard() override { mine_.discard(); }
  void populate() override {
    if (rank_ == 0) mine_.populate();  // a rank's rows are not known before it takes them
  }

  std::uint64_t* for_writing(std::uint64_t first, std::uint64_t count) override {
    if (rank_ == 0) return mine_.words().data() + first;  // rank 0 writes in place
    std::uint64_t* slot = mine_.words().data() + rows_.size() * row_words_;
    rows_.push_back(first / row_words_);
    std::fill(slot, slot + count, default_word_);  // the rank's own copy of the row
    return slot;
  }

  void before_repetition() override { rows_.clear(); }

  // Every rank's rows to rank 0: how many, which, then the rows themselves, each rank's after
  // the previous rank's. Rank 0's own are in place already (its list is empty).
  void complete_share() override {
    const int mine = static_cast<int>(rows_.size());
    std::vector<int> counts(rank_ == 0 ? size_ : 0);
    mpi_check(MPI_Gather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm_), "MPI_Gather",
              name_);
    std::vector<int> displacements(counts.size());
    int total = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
      displacements[r] = total;
      total += counts[r];
    }
    std::vector<std::uint64_t> which(static_cast<std::size_t>(total));
    mpi_check(MPI_Gatherv(rows_.data(), mine, MPI_UINT64_T, which.data(), counts.data(),
                          displacements.data(), MPI_UINT64_T, 0, comm_),
              "MPI_Gatherv", name_);
    mpi_check(MPI_Gatherv(mine_.words().data(), mine, row_type_, arrived_.words().data(),
                          counts.data(), displacements.data(), row_type_, 0, comm_),
              "MPI_Gatherv", name_);
    if (rank_ != 0) return;
    const std::uint64_t row_bytes = row_words_ * sizeof(std::uint64_t);
    for (std::size_t i = 0; i < which.size(); ++i) {
      std::memcpy(mine_.words().data() + which[i] * row_words_,
                  arrived_.words().data() + i * row_words_, row_bytes);
    }
    gathered_ = which.size() * row_bytes;
  }
  std::uint64_t after_repetition() override { return rank_ == 0 ? gathered_ : 0; }

 private:
  std::uint64_t row_words_;
  std::uint64_t default_word_;
  Mapping mine_;
  Mapping arrived_;
  MPI_Datatype row_type_ = MPI_DATATYPE_NULL;
  std::vector<std::uint64_t> rows_;  // the rows this rank wrote in this repetition, in order
  std::uint64_t gathered_ = 0;
};

}  // namespace

BlockVariant mpi_shared_block_variant() {
  return {
      {"mpi-shared", "MPI_Win_allocate_shared: one block per node, filled in place by its ranks",
       Need::kMpiJob, [](const BlockSettings& s) { return std::make_unique<MpiSharedBlock>(s); }}};
}

BlockVariant mpi_gather_block_variant() {
  // Rank 0's array and the rows arriving, and every rank's own rows: three arrays' worth.
  return {
      {"mpi-gather", "each rank fills its rows locally; MPI_Gatherv brings them to rank 0",
       Need::kMpiJob, [](const BlockSettings& s) { return std::make_unique<MpiGatherBlock>(s); }},
      [](int) { return std::uint64_t{3}; }};
}

}  // namespace parbench::ipc
