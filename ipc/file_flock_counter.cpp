// file-flock: the book's file counter with each read-parse-rewrite under an exclusive flock(2).
#include "ipc/counter_file.hpp"

namespace parbench::ipc {

CounterVariant file_flock_counter_variant() {
  return {"file-flock", "the file counter, each increment under flock(2)", Need::kMadeBeforeStart,
          true, [] { return std::make_unique<FileCounter>(true); }};
}

}  // namespace parbench::ipc
