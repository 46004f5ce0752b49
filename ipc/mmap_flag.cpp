// mmap: an anonymous MAP_SHARED page inherited through fork (the book's mmap flag).
#include <sys/mman.h>

#include <atomic>
#include <cerrno>
#include <system_error>

#include "ipc/stop_flag.hpp"

namespace parbench::ipc {
namespace {

class MmapFlag final : public StopFlag {
 public:
  MmapFlag() {
    void* page = mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap");
    word_ = new (page) std::atomic<std::uint64_t>(0);
  }
  ~MmapFlag() override { munmap(word_, kPage); }
  MmapFlag(const MmapFlag&) = delete;
  MmapFlag& operator=(const MmapFlag&) = delete;
  void raise(std::uint64_t value) override { raise_to_min(*word_, value); }
  std::uint64_t value() override { return word_->load(std::memory_order_relaxed); }
  void reset() override { word_->store(0); }

 private:
  static constexpr std::size_t kPage = 4096;
  std::atomic<std::uint64_t>* word_ = nullptr;
};

}  // namespace

StopFlagVariant mmap_flag_variant() {
  return {"mmap", "an anonymous MAP_SHARED mapping inherited through fork", Need::kMadeBeforeStart,
          make_from_settings<MmapFlag>};
}

}  // namespace parbench::ipc
