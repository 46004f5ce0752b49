// A shared block: the book's big array that workers fill row by row ("Sharing numpy data with
// multiprocessing"). The third kind of mechanism beside stop flags and shared counters: one file
// per variant, one registration line in shared_blocks.cpp. The owner makes it before the workers
// start (forked ones inherit the mapping), prepares its pages before every repetition and verifies
// the whole array after it; workers only ask where to write a row and say when they have written
// it.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "ipc/variant.hpp"
#include "ipc/worker_ledger.hpp"

namespace parbench::ipc {

struct BlockSettings {
  std::uint64_t bytes = 0;         // a multiple of 8: the array's 8-byte words
  std::string dir;                 // mmap-file: where its file lives; empty: /dev/shm (tmpfs)
  std::uint64_t row_words = 1;     // words per row: what a worker writes at a time
  std::uint64_t default_word = 0;  // what the array holds before the workers write
};

class SharedBlock {
 public:
  virtual ~SharedBlock() = default;
  // The owner's view of the whole array: what it fills with the default and verifies.
  virtual std::span<std::uint64_t> words() = 0;
  // Where a worker writes the words [first, first + count): into the block itself, or, where the
  // variant does not share (copy), into the worker's own copy of the whole array.
  virtual std::uint64_t* for_writing(std::uint64_t first, std::uint64_t /*count*/) {
    return words().data() + first;
  }
  // After a worker wrote them: a variant that does not share sends them to the owner.
  virtual void written(std::uint64_t /*first*/, std::uint64_t /*count*/) {}

  // Owner, no worker running: gives every page back, so that the next touch faults in a fresh one.
  virtual void discard() = 0;
  // Owner, no worker running: faults every page in, writable, without writing it.
  virtual void populate() = 0;
  // Owner, around each repetition (copy starts and stops receiving rows). after_repetition()
  // returns the bytes copied between processes during it: 0 where the workers share the block.
  virtual void before_repetition() {}
  virtual std::uint64_t after_repetition() { return 0; }

  // Whether this process holds the owner's array: every process but the ranks of an MPI job
  // other than rank 0, which verifies and reports.
  virtual bool holds_array() const { return true; }
  // In an MPI job, what the ranks do together once each has done its share, inside the timed part
  // (mpi-gather: the rows travel to rank 0). Called by the MPI backend only.
  virtual void complete_share() {}
  // The worker processes' cost over the whole job, given this process's ledger: where each rank
  // keeps a ledger of its own (MPI), rank 0 learns every rank's.
  virtual ProcessCost across_processes(const ProcessCost& mine) { return mine; }
};

// What a block says beyond every kind (ipc/variant.hpp): how many arrays it keeps. Registered as
// {{name, summary, need, create}} where the workers share one array, {{...}, copies} where not.
struct BlockVariant : Variant<SharedBlock, BlockSettings> {
  // How many arrays' worth of memory a run with `workers` workers holds: 1 where they share, more
  // where each keeps a copy. What the memory budget is checked against.
  std::function<std::uint64_t(int workers)> copies = [](int) { return std::uint64_t{1}; };
};
template <>
const std::vector<BlockVariant>& registered();  // shared_blocks.cpp

BlockVariant none_block_variant();
BlockVariant shm_block_variant();
BlockVariant mmap_block_variant();
BlockVariant mmap_file_block_variant();
BlockVariant hugetlb_block_variant();
BlockVariant copy_block_variant();
BlockVariant mpi_shared_block_variant();  // only in builds with MPI
BlockVariant mpi_gather_block_variant();  // only in builds with MPI

}  // namespace parbench::ipc
