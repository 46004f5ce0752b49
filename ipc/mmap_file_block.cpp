// mmap-file: a file mapped by name, MAP_SHARED, in --dir or by default in /dev/shm (tmpfs, so the
// file costs no disk). The file, of a name nobody can guess, created exclusively with mode 0600 and
// its pages reserved (ipc/fresh_name.hpp), stays for as long as the configuration runs, removed on
// every way out (Ctrl-C included); a SIGKILLed run's file in /dev/shm is removed by the next run.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ipc/cleanup.hpp"
#include "ipc/fresh_name.hpp"
#include "ipc/mapped_block.hpp"
#include "ipc/process_generation.hpp"

namespace parbench::ipc {
namespace {

class FileBlock final : public MappedBlock {
 public:
  explicit FileBlock(const BlockSettings& s) : FileBlock(s, in(s.dir)) {}
  ~FileBlock() override {
    if (made_in_ != process_generation()) return;  // a forked worker's copy: the file is not its
    ::unlink(path_.c_str());
    unregister_path(path_);
  }
  FileBlock(const FileBlock&) = delete;
  FileBlock& operator=(const FileBlock&) = delete;

 private:
  FileBlock(const BlockSettings& s, const std::string& dir)
      : FileBlock(s, dir, create_exclusive(dir, "block")) {}
  FileBlock(const BlockSettings& s, const std::string& dir, const Created& made)
      : MappedBlock(map(s.bytes, dir, made), s.bytes, dir), path_(made.path) {}

  static std::string in(const std::string& dir) { return dir.empty() ? "/dev/shm" : dir; }
  // The file exists, registered, when this runs; every way out of here closes it, and an error
  // removes it.
  static Mapping map(std::uint64_t bytes, const std::string& dir, const Created& made) {
    try {
      reserve(made.fd, bytes, dir, "the block");
      Mapping m(bytes, MAP_SHARED, made.fd, Mapping::Kind::kShared, made.path);
      ::close(made.fd);
      return m;
    } catch (...) {
      ::close(made.fd);
      ::unlink(made.path.c_str());
      unregister_path(made.path);
      throw;
    }
  }

  std::string path_;
  unsigned made_in_ = process_generation();
};

}  // namespace

BlockVariant mmap_file_block_variant() {
  return {{"mmap-file", "a file mapped by name (MAP_SHARED), in --dir or /dev/shm",
           Need::kMadeBeforeStart,
           [](const BlockSettings& s) { return std::make_unique<FileBlock>(s); }}};
}

}  // namespace parbench::ipc
