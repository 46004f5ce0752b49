// file: the book's unlocked file counter (open, read, parse, rewrite): a negative control whose
// lost updates and unparsable reads are the finding.
#include "ipc/counter_file.hpp"
#include "ipc/shared_counter.hpp"

namespace parbench::ipc {
namespace {

class FileCounter final : public SharedCounter {
 public:
  void add(std::uint64_t k) override { file_.add(k, false); }
  std::uint64_t value() override { return file_.read(); }
  void reset() override {
    file_.write(0);
    file_.clear_unparsable();
  }

 private:
  CounterFile file_;
};

}  // namespace

CounterVariant file_counter_variant() {
  return {"file", "a number as text in a file, read and rewritten with no lock (negative control)",
          Need::kMadeBeforeStart, false, make_counter<FileCounter>};
}

}  // namespace parbench::ipc
