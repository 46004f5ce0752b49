// A shared block (ipc/shared_block.hpp) as the runner drives it. Made for each configuration with a
// ledger of the worker processes (ipc/worker_ledger.hpp); before every repetition its pages are
// prepared as --first-touch says, outside the timed part; after it, still outside, the kernel's
// inspection verifies the whole array and its checksum becomes the result, and the ledger gives the
// workers' page faults and memory as the row's measurements.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "harness/mechanisms/variant_mechanism.hpp"
#include "ipc/shared_block.hpp"
#include "ipc/worker_ledger.hpp"

namespace parbench {

// Who faults the block's pages in before a repetition's workers write them.
enum class FirstTouch {
  kParent,    // the owner, by writing the default
  kWorkers,   // nobody: every page is fresh, and the default is the 0 a fresh page reads as
  kPopulate,  // the kernel (MADV_POPULATE_WRITE), then the owner writes the default
};

// What the kernel found in the whole array after a repetition.
struct Inspection {
  std::uint64_t checksum = 0;
  std::string problem;  // why the array is wrong; empty when right
  Measurements measurements;
};
using Inspect = std::function<Inspection(std::span<const std::uint64_t> words)>;
// The same judgement from tallies that workers keeping the array themselves made (python), with the
// checksum they computed.
using JudgeTallies = std::function<Inspection(std::uint64_t checksum, const Measurements& tallies)>;

class BlockMechanism final : public VariantMechanism<ipc::BlockVariant> {
 public:
  // The default the owner writes is the settings' default_word.
  BlockMechanism(const ipc::BlockVariant& variant, ipc::BlockSettings settings,
                 bool chosen_as_group, FirstTouch first_touch, Inspect inspect,
                 JudgeTallies judge_tallies)
      : VariantMechanism(variant, std::move(settings), chosen_as_group),
        first_touch_(first_touch),
        inspect_(std::move(inspect)),
        judge_tallies_(std::move(judge_tallies)) {}

  // Workers that make their own block (Python's multiprocessing.Array): none is made here, and
  // what they tallied is judged instead.
  void serve(const ipc::WorkerModel& workers) override {
    workers_keep_array_ = workers.make_own_blocks;
  }
  void take_inspection(const Measurements& tallies) override { tallies_ = tallies; }
  void make() override;
  void reset() override;
  std::uint64_t finish(std::uint64_t result, Measurements& measurements) override;
  std::string problem() const override { return problem_; }
  void release() noexcept override;
  void complete_share() override { block_->complete_share(); }

  // For the kernel's workers, between make() and release().
  ipc::SharedBlock& block() const { return *block_; }
  ipc::WorkerLedger& ledger() const { return *ledger_; }

 private:
  // Writes the default into every word; returns the seconds it took.
  double write_default();

  FirstTouch first_touch_;
  Inspect inspect_;
  JudgeTallies judge_tallies_;
  bool workers_keep_array_ = false;
  Measurements tallies_;  // the last take_inspection()'s
  std::unique_ptr<ipc::SharedBlock> block_;
  std::unique_ptr<ipc::WorkerLedger> ledger_;
  // The owner's write of the default before the repetition, and under populate the same write
  // once more; 0 where it did not write.
  double default_fill_s_ = 0.0;
  double memset_s_ = 0.0;
  std::string problem_;
};

}  // namespace parbench
