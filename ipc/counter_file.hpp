// The book's file counter: a number kept as text in a file that every increment opens, reads,
// parses and rewrites. Opened anew each time, as in the book, which is also what makes flock(2)
// exclude forked workers (a descriptor they inherited would share one lock). The file lies in a
// private temporary directory, mode 0600.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "ipc/shared_counter.hpp"
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

// The counter over such a file, with or without the lock: `file` and `file-flock` differ only here.
class FileCounter final : public SharedCounter {
 public:
  explicit FileCounter(bool locked) : locked_(locked) {}
  void add(std::uint64_t k) override { file_.add(k, locked_); }
  std::uint64_t value() override { return file_.read(); }
  void reset() override {
    file_.write(0);
    file_.clear_unparsable();
  }

 private:
  bool locked_;
  CounterFile file_;
};

}  // namespace parbench::ipc
