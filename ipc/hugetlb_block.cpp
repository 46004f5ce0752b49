// hugetlb: MAP_HUGETLB shared memory from the huge pages the administrator reserved
// (vm.nr_hugepages): no transparent huge pages reach shared memory on many machines, so this is
// how processes share an array in 2 MiB pages. Refused, with the reason, where too few are free.
#include <sys/mman.h>

#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "ipc/mapped_block.hpp"

namespace parbench::ipc {
namespace {

struct HugePages {
  std::uint64_t free = 0;
  std::uint64_t page_bytes = 2 << 20;
};

HugePages read_meminfo() {
  HugePages h;
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  while (std::getline(meminfo, line)) {
    std::istringstream in(line);
    std::string key;
    std::uint64_t value = 0;
    in >> key >> value;
    if (key == "HugePages_Free:") h.free = value;
    if (key == "Hugepagesize:") h.page_bytes = value << 10;
  }
  return h;
}

std::uint64_t pages_for(std::uint64_t bytes, std::uint64_t page) {
  return (bytes + page - 1) / page;
}

Availability huge_pages_for(const BlockSettings& s) {
  const HugePages h = read_meminfo();
  const std::uint64_t need = pages_for(s.bytes, h.page_bytes);
  if (h.free >= need) return {};
  return {false, fmt::format("needs {} huge pages of {} KiB and {} are free (reserve them: sysctl "
                             "vm.nr_hugepages={})",
                             need, h.page_bytes >> 10, h.free, need)};
}

std::unique_ptr<SharedBlock> make_hugetlb_block(const BlockSettings& s) {
  const std::uint64_t page = read_meminfo().page_bytes;
  return std::make_unique<MappedBlock>(
      Mapping(pages_for(s.bytes, page) * page, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, -1,
              Mapping::Kind::kShared, "reserved huge pages"),
      s.bytes);
}

}  // namespace

BlockVariant hugetlb_block_variant() {
  return {{.name = "hugetlb",
           .summary = "MAP_HUGETLB shared memory from the reserved huge pages",
           .need = Need::kMadeBeforeStart,
           .create = make_hugetlb_block,
           .availability = huge_pages_for}};
}

}  // namespace parbench::ipc
