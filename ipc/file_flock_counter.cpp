// file-flock: the book's file counter with each read-parse-rewrite under an exclusive flock(2).
#include "ipc/counter_file.hpp"
#include "ipc/shared_counter.hpp"

namespace parbench::ipc {
namespace {

class FileFlockCounter final : public SharedCounter {
 public:
  void add(std::uint64_t k) override { file_.add(k, true); }
  std::uint64_t value() override { return file_.read(); }
  void reset() override { file_.write(0); }

 private:
  CounterFile file_;
};

}  // namespace

CounterVariant file_flock_counter_variant() {
  return {"file-flock", "the file counter, each increment under flock(2)", Need::kMadeBeforeStart,
          true, make_counter<FileFlockCounter>};
}

}  // namespace parbench::ipc
