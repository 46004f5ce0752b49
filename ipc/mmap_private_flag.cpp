// mmap-private: the negative control. The flag's word is in a MAP_PRIVATE mapping, so a worker's
// raise stays in its own copy-on-write page and the others never stop early; the answer is still
// right. Only the owner's "reset before each repetition" reaches the workers, through a generation
// number in a shared page, so that a worker's stale private raise never outlives its repetition.
#include <sys/mman.h>

#include <boost/interprocess/anonymous_shared_memory.hpp>

#include <atomic>
#include <cerrno>
#include <system_error>

#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

// The mechanism under test: a private copy-on-write page, by hand.
void* map_private_page() {
  void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap");
  return page;
}

struct PrivateWord {
  std::uint64_t generation;
  std::uint64_t value;
};

class MmapPrivateFlag final : public StopFlag {
 public:
  MmapPrivateFlag()
      : word_(new (map_private_page()) PrivateWord{0, 0}),
        shared_(boost::interprocess::anonymous_shared_memory(sizeof(std::atomic<std::uint64_t>))),
        generation_(new (shared_.get_address()) std::atomic<std::uint64_t>(0)) {}
  ~MmapPrivateFlag() override { munmap(word_, 4096); }
  MmapPrivateFlag(const MmapPrivateFlag&) = delete;
  MmapPrivateFlag& operator=(const MmapPrivateFlag&) = delete;

  void raise(std::uint64_t value) override {
    current();
    if (word_->value == 0 || value < word_->value) word_->value = value;
  }
  std::uint64_t value() override { return current().value; }
  void reset() override { generation_->fetch_add(1); }

 private:
  PrivateWord& current() {
    const std::uint64_t g = generation_->load();
    if (word_->generation != g) *word_ = {g, 0};  // a new repetition: forget this process's raise
    return *word_;
  }
  PrivateWord* word_;
  boost::interprocess::mapped_region shared_;  // inherited through fork: the owner's resets
  std::atomic<std::uint64_t>* generation_;
};

}  // namespace

StopFlagVariant mmap_private_flag_variant() {
  // Forked processes: copies that never see each other's raise (threads would share the page).
  return {"mmap-private", "MAP_PRIVATE: the negative control, the flag never propagates",
          Need::kSeparateMemory, make_from_settings<MmapPrivateFlag>};
}

}  // namespace parbench::ipc
