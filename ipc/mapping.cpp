#include "ipc/mapping.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <system_error>
#include <utility>

#include "ipc/process_generation.hpp"

namespace parbench::ipc {

Mapping::Mapping(std::size_t bytes, int flags, int fd, Kind kind, const std::string& what)
    : bytes_(bytes), kind_(kind), mapped_in_(process_generation()) {
  void* addr = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, flags, fd, 0);
  if (addr == MAP_FAILED)
    throw std::system_error(errno, std::generic_category(), "mapping " + what);
  addr_ = addr;
}

Mapping::~Mapping() {
  if (addr_ != nullptr && mapped_in_ == process_generation()) munmap(addr_, bytes_);
}

Mapping::Mapping(Mapping&& other) noexcept
    : addr_(std::exchange(other.addr_, nullptr)),
      bytes_(other.bytes_),
      kind_(other.kind_),
      mapped_in_(other.mapped_in_) {}

Mapping& Mapping::operator=(Mapping&& other) noexcept {
  if (this != &other) {
    if (addr_ != nullptr && mapped_in_ == process_generation()) munmap(addr_, bytes_);
    addr_ = std::exchange(other.addr_, nullptr);
    bytes_ = other.bytes_;
    kind_ = other.kind_;
    mapped_in_ = other.mapped_in_;
  }
  return *this;
}

void Mapping::discard() {
  const int advice = kind_ == Kind::kShared ? MADV_REMOVE : MADV_DONTNEED;
  if (madvise(addr_, bytes_, advice) != 0)
    throw std::system_error(errno, std::generic_category(), "giving back the block's pages");
}

void Mapping::advise_huge_pages() noexcept { madvise(addr_, bytes_, MADV_HUGEPAGE); }

void Mapping::populate() {
  if (madvise(addr_, bytes_, MADV_POPULATE_WRITE) == 0) return;
  if (errno != EINVAL) {
    throw std::system_error(errno, std::generic_category(), "faulting in the block's pages");
  }
  // An older kernel: touch each page for writing. The atomic add of 0 writes without changing.
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  auto* bytes = static_cast<unsigned char*>(addr_);
  for (std::size_t at = 0; at < bytes_; at += page)
    std::atomic_ref<unsigned char>(bytes[at]).fetch_add(0, std::memory_order_relaxed);
}

}  // namespace parbench::ipc
