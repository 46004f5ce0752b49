// file, file-truncate, file-flock, file-fcntl and file-poll: the book's file counter (open, read,
// parse, rewrite) without a lock (the negative controls, whose lost updates and unparsable reads
// are the finding; file-truncate rewrites as the book does, truncating first) and under each of the
// three file locks (ipc/counter_file.hpp). Five variants, one file: they differ only in the lock.
#include "ipc/counter_file.hpp"

namespace parbench::ipc {
namespace {

std::function<std::unique_ptr<SharedCounter>(const MechanismSettings&)> file_with(
    FileLock lock, bool truncate = false) {
  return [lock, truncate](const MechanismSettings&) {
    return std::make_unique<FileCounter>(lock, truncate);
  };
}

}  // namespace

CounterVariant file_counter_variant() {
  return {{"file", "a number as text in a file, read and rewritten with no lock (negative control)",
           Need::kMadeBeforeStart, file_with(FileLock::kNone)},
          /*safe=*/false};
}

CounterVariant file_truncate_counter_variant() {
  return {{"file-truncate",
           "the book's file counter as written: each write truncates the file first (open with "
           "\"w\"), so a reader in between finds it empty and restarts from 0 (negative control)",
           Need::kMadeBeforeStart, file_with(FileLock::kNone, true)},
          /*safe=*/false};
}

CounterVariant file_flock_counter_variant() {
  return {{"file-flock", "the file counter, each increment under flock(2)", Need::kMadeBeforeStart,
           file_with(FileLock::kFlock)},
          /*safe=*/true};
}

CounterVariant file_fcntl_counter_variant() {
  // A POSIX record lock belongs to the process: two threads of one would both hold it.
  return {{"file-fcntl", "the file counter under a POSIX record lock (fcntl F_SETLKW)",
           Need::kProcessLock, file_with(FileLock::kFcntl)},
          /*safe=*/true};
}

CounterVariant file_poll_counter_variant() {
  return {{"file-poll",
           "the file counter under fcntl tried without blocking, sleeping attempts x 10 ms up to "
           "100 ms between tries (the book's fasteners lock)",
           Need::kProcessLock, file_with(FileLock::kPoll)},
          /*safe=*/true};
}

}  // namespace parbench::ipc
