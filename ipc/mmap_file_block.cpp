// mmap-file: a file mapped by name, MAP_SHARED, in --dir or by default in /dev/shm (tmpfs, so the
// file costs no disk). The file stays, mode 0600, for as long as the configuration runs, removed on
// every way out (Ctrl-C included); a SIGKILLed run's file in /dev/shm is removed by the next run.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "ipc/cleanup.hpp"
#include "ipc/mapped_block.hpp"
#include "ipc/process_generation.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::ipc {
namespace {

class FileBlock final : public MappedBlock {
 public:
  explicit FileBlock(const BlockSettings& s) : FileBlock(s, path_in(s.dir)) {}
  ~FileBlock() override {
    if (made_in_ != process_generation()) return;  // a forked worker's copy: the file is not its
    ::unlink(path_.c_str());
    unregister_path(path_);
  }
  FileBlock(const FileBlock&) = delete;
  FileBlock& operator=(const FileBlock&) = delete;

 private:
  FileBlock(const BlockSettings& s, std::string path)
      : MappedBlock(map(s.bytes, path), s.bytes), path_(std::move(path)) {}

  static std::string path_in(const std::string& dir) {
    return (dir.empty() ? std::string("/dev/shm") : dir) + "/" + unique_ipc_name("block");
  }
  static Mapping map(std::uint64_t bytes, const std::string& path) {
    register_path(path, PathKind::kFile);  // before it exists: Ctrl-C removes it
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      unregister_path(path);
      throw std::system_error(errno, std::generic_category(), "creating " + path);
    }
    try {
      if (::ftruncate(fd, static_cast<off_t>(bytes)) != 0)
        throw std::system_error(errno, std::generic_category(), "sizing " + path);
      Mapping m(bytes, MAP_SHARED, fd, Mapping::Kind::kShared, path);
      ::close(fd);
      return m;
    } catch (...) {
      ::close(fd);
      ::unlink(path.c_str());
      unregister_path(path);
      throw;
    }
  }

  std::string path_;
  unsigned made_in_ = process_generation();
};

}  // namespace

BlockVariant mmap_file_block_variant() {
  return {"mmap-file", "a file mapped by name (MAP_SHARED), in --dir or /dev/shm",
          Need::kMadeBeforeStart,
          [](const BlockSettings& s) { return std::make_unique<FileBlock>(s); }};
}

}  // namespace parbench::ipc
