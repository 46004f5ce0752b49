#include "ipc/mapping.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <system_error>
#include <utility>

#include "ipc/process_generation.hpp"

namespace parbench::ipc {
namespace {
std::size_t rounded_to_page(std::size_t bytes) {
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return (bytes + page - 1) / page * page;
}
}  // namespace

Mapping::Mapping(std::size_t bytes, int flags, int fd, Kind kind, const std::string& what)
    : bytes_(bytes), kind_(kind), mapped_in_(process_generation()) {
  void* addr = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, flags, fd, 0);
  if (addr == MAP_FAILED)
    throw std::system_error(errno, std::generic_category(), "mapping " + what);
  addr_ = addr;
}

Mapping::~Mapping() { unmap(); }

// Only in the process that mapped it: a forked worker's inherited copy is left to its exit.
void Mapping::unmap() noexcept {
  if (addr_ != nullptr && mapped_in_ == process_generation()) munmap(addr_, bytes_);
}

Mapping::Mapping(Mapping&& other) noexcept
    : addr_(std::exchange(other.addr_, nullptr)),
      bytes_(other.bytes_),
      kind_(other.kind_),
      mapped_in_(other.mapped_in_) {}

Mapping& Mapping::operator=(Mapping&& other) noexcept {
  if (this != &other) {
    unmap();
    addr_ = std::exchange(other.addr_, nullptr);
    bytes_ = other.bytes_;
    kind_ = other.kind_;
    mapped_in_ = other.mapped_in_;
  }
  return *this;
}

// The mapping owns its last page whole, also where bytes_ ends inside it.
void Mapping::discard() { discard_pages(addr_, rounded_to_page(bytes_), kind_ == Kind::kShared); }

void Mapping::advise_huge_pages() noexcept { madvise(addr_, bytes_, MADV_HUGEPAGE); }

void Mapping::populate() { populate_pages(addr_, rounded_to_page(bytes_)); }

namespace {
// The whole pages inside [addr, addr + bytes): madvise works on pages only.
std::pair<unsigned char*, std::size_t> whole_pages(void* addr, std::size_t bytes) {
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  const std::size_t into_page = reinterpret_cast<std::uintptr_t>(addr) % page;
  const std::size_t head = into_page == 0 ? 0 : page - into_page;  // up to the first whole page
  if (head >= bytes) return {nullptr, 0};
  const std::size_t length = (bytes - head) / page * page;
  if (length == 0) return {nullptr, 0};
  return {static_cast<unsigned char*>(addr) + head, length};
}
}  // namespace

void discard_pages(void* addr, std::size_t bytes, bool shared) {
  const auto [start, length] = whole_pages(addr, bytes);
  // The parts of pages at either end that the range shares with other memory are zeroed instead:
  // after a discard the whole range reads 0.
  auto* first = static_cast<unsigned char*>(addr);
  if (length == 0) {
    std::memset(first, 0, bytes);
    return;
  }
  std::memset(first, 0, static_cast<std::size_t>(start - first));
  std::memset(start + length, 0, static_cast<std::size_t>(first + bytes - (start + length)));
  if (madvise(start, length, shared ? MADV_REMOVE : MADV_DONTNEED) == 0) return;
  // Memory that was not what the caller believed: an MPI window of one rank is private memory,
  // where MADV_DONTNEED gives zero pages back too.
  if (!shared || errno != EINVAL || madvise(start, length, MADV_DONTNEED) != 0)
    throw std::system_error(errno, std::generic_category(), "giving back the block's pages");
}

void populate_pages(void* addr, std::size_t bytes) {
  const auto [start, length] = whole_pages(addr, bytes);
  if (length == 0) return;
  if (madvise(start, length, MADV_POPULATE_WRITE) == 0) return;
  if (errno != EINVAL) {
    throw std::system_error(errno, std::generic_category(), "faulting in the block's pages");
  }
  // An older kernel: touch each page for writing. The atomic add of 0 writes without changing.
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  for (std::size_t at = 0; at < length; at += page)
    std::atomic_ref<unsigned char>(start[at]).fetch_add(0, std::memory_order_relaxed);
}

}  // namespace parbench::ipc
