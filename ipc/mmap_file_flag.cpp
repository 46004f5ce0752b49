// mmap-file: a file-backed MAP_SHARED mapping that every process opens by name (mode 0600, in a
// private temporary directory), as unrelated processes would; the book's mmap flag without fork's
// help.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <system_error>

#include "ipc/fresh_name.hpp"
#include "ipc/process_generation.hpp"
#include "ipc/stop_flag.hpp"
#include "ipc/temp_dir.hpp"

namespace parbench::ipc {
namespace {

class MmapFileFlag final : public StopFlag {
 public:
  MmapFileFlag() : path_(dir_.file("flag")) {
    const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "creating " + path_);
    // Reserved, not only sized: in a full tmpfs $TMPDIR the first raise would be a SIGBUS.
    try {
      reserve(fd, kPage, dir_.path(), "the flag's file");
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
  }
  ~MmapFileFlag() override {
    if (word_ != nullptr && mapped_in_ == process_generation()) munmap(word_, kPage);
  }
  MmapFileFlag(const MmapFileFlag&) = delete;
  MmapFileFlag& operator=(const MmapFileFlag&) = delete;

  void raise(std::uint64_t value) override { raise_to_min(word(), value); }
  std::uint64_t value() override { return word().load(std::memory_order_relaxed); }
  void reset() override { word().store(0); }

 private:
  // Attaches on first use in each process: a forked worker maps the file itself, by its name.
  std::atomic<std::uint64_t>& word() {
    if (mapped_in_ != process_generation()) {
      const int fd = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
      if (fd < 0) throw std::system_error(errno, std::generic_category(), "opening " + path_);
      void* page = mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
      ::close(fd);
      if (page == MAP_FAILED)
        throw std::system_error(errno, std::generic_category(), "mapping " + path_);
      word_ = static_cast<std::atomic<std::uint64_t>*>(page);
      mapped_in_ = process_generation();
    }
    return *word_;
  }

  static constexpr std::size_t kPage = 4096;
  TempDir dir_;
  std::string path_;
  std::atomic<std::uint64_t>* word_ = nullptr;
  unsigned mapped_in_ = 0;  // the process generation whose mapping word_ is
};

}  // namespace

StopFlagVariant mmap_file_flag_variant() {
  return {"mmap-file", "a file-backed MAP_SHARED mapping each process opens by name",
          Need::kMadeBeforeStart, make_from_settings<MmapFileFlag>};
}

}  // namespace parbench::ipc
