// One mmap()ed range and what the block variants do to its pages: give them back, fault them in.
// Unmapped on destruction in the process that mapped it (a forked worker's inherited copy is left
// to its exit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace parbench::ipc {

// What Mapping does to its pages, for memory mapped by someone else (an MPI window), whose range
// need not start or end on a page: discard gives the whole pages inside back and zeroes the bytes
// of the pages at either end it shares with other memory; populate faults in the whole pages.
void discard_pages(void* addr, std::size_t bytes, bool shared);
void populate_pages(void* addr, std::size_t bytes);

class Mapping {
 public:
  // Shared memory (shmem, a file, huge pages) gives its pages back with MADV_REMOVE, which frees
  // them for every process that maps them; private memory with MADV_DONTNEED.
  enum class Kind { kPrivate, kShared };

  Mapping() = default;
  // mmap(nullptr, bytes, read|write, flags, fd, 0); throws std::system_error naming `what`.
  Mapping(std::size_t bytes, int flags, int fd, Kind kind, const std::string& what);
  ~Mapping();
  Mapping(Mapping&& other) noexcept;
  Mapping& operator=(Mapping&& other) noexcept;

  std::span<std::uint64_t> words() const {
    return {static_cast<std::uint64_t*>(addr_), bytes_ / sizeof(std::uint64_t)};
  }
  void discard();
  // MADV_POPULATE_WRITE (Linux 5.14), else a write of every page's first word, which keeps its
  // value.
  void populate();
  // MADV_HUGEPAGE, best effort: transparent huge pages where the machine grants them on request.
  void advise_huge_pages() noexcept;

 private:
  void unmap() noexcept;

  void* addr_ = nullptr;
  std::size_t bytes_ = 0;
  Kind kind_ = Kind::kPrivate;
  unsigned mapped_in_ = 0;  // the process generation that mapped it
};

}  // namespace parbench::ipc
