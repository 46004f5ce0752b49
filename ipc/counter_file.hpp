// The book's file counter: a number kept as text in a file that every increment opens, reads,
// parses and rewrites. Opened anew for each hold, as in the book, which is also what makes flock(2)
// exclude forked workers (a descriptor they inherited would share one lock). The file lies in a
// private temporary directory, mode 0600. The variants differ only in the lock they take on the
// descriptor: none (the negative control), flock, fcntl, or fcntl polled as the book's fasteners.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "ipc/shared_counter.hpp"
#include "ipc/shared_segment.hpp"
#include "ipc/temp_dir.hpp"

namespace parbench::ipc {

enum class FileLock {
  kNone,   // file: no lock (lost updates and unparsable reads expected)
  kFlock,  // file-flock: flock(2), exclusive, blocking
  kFcntl,  // file-fcntl: a POSIX record lock over the whole file, F_SETLKW (blocking)
  kPoll,   // file-poll: the same lock tried without blocking (F_SETLK), sleeping attempts x 10 ms,
           // at most 100 ms, between tries: the book's fasteners.InterProcessLock
};

class FileCounter final : public ReadModifyWriteCounter<FileCounter> {
 public:
  // truncate: each write cuts the file to nothing first, as the book's open(name, "w") does, so a
  // reader in between finds it empty and starts again from 0.
  explicit FileCounter(FileLock lock, bool truncate = false);

  // One open of the file, locked as the variant says; closing it releases the lock.
  class Held {
   public:
    Held(const std::string& path, FileLock lock);
    ~Held();
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;
    int fd() const { return fd_; }

   private:
    int fd_;
  };
  Held hold() { return Held(path_, lock_); }
  std::uint64_t read(const Held& held);
  void write(const Held& held, std::uint64_t value);

  void reset() override;
  // Reads whose text was not one number (two writers interleaved: the book's "1\n7\n"), counted
  // by every worker in shared memory and taken as 0.
  std::uint64_t unparsable_reads() override { return unparsable_->load(); }

 private:
  FileLock lock_;
  bool truncate_;
  TempDir dir_;
  std::string path_;
  SharedSegment segment_;
  std::atomic<std::uint64_t>* unparsable_;
};

}  // namespace parbench::ipc
