// The book's file counter: a number kept as text in a file that every increment opens, reads,
// parses and rewrites. Opened anew each time, as in the book, which is also what makes flock(2)
// exclude forked workers (a descriptor they inherited would share one lock). The file lies in a
// private temporary directory, mode 0600.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "ipc/shared_segment.hpp"
#include "ipc/temp_dir.hpp"

namespace parbench::ipc {

class CounterFile {
 public:
  CounterFile();
  // One read-parse-rewrite of k more, under an exclusive flock(2) when `locked`.
  void add(std::uint64_t k, bool locked);
  std::uint64_t read();
  void write(std::uint64_t value);
  // Reads whose text was not one number (two writers interleaved: the book's "1\n7\n"), counted
  // by every worker in shared memory and taken as 0.
  std::uint64_t unparsable() const { return unparsable_->load(); }
  void clear_unparsable() { unparsable_->store(0); }

 private:
  TempDir dir_;
  std::string path_;
  SharedSegment segment_;
  std::atomic<std::uint64_t>* unparsable_;
};

}  // namespace parbench::ipc
