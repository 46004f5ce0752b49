// file: the book's unlocked file counter (open, read, parse, rewrite): a negative control whose
// lost updates and unparsable reads are the finding.
#include "ipc/counter_file.hpp"

namespace parbench::ipc {

CounterVariant file_counter_variant() {
  return {"file", "a number as text in a file, read and rewritten with no lock (negative control)",
          Need::kMadeBeforeStart, false, [] { return std::make_unique<FileCounter>(false); }};
}

}  // namespace parbench::ipc
