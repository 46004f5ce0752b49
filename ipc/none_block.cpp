// none: private anonymous memory of one process, which only its threads share; transparent huge
// pages are asked for (madvise), since on many machines (this one: "madvise") they apply to private
// anonymous memory only, never to the shared variants.
#include <sys/mman.h>

#include "ipc/mapped_block.hpp"

namespace parbench::ipc {
namespace {

class PrivateBlock final : public MappedBlock {
 public:
  explicit PrivateBlock(const BlockSettings& s) : MappedBlock(map(s.bytes), s.bytes) {}

 private:
  static Mapping map(std::uint64_t bytes) {
    Mapping m(bytes, MAP_PRIVATE | MAP_ANONYMOUS, -1, Mapping::Kind::kPrivate, "private memory");
    m.advise_huge_pages();
    return m;
  }
};

}  // namespace

BlockVariant none_block_variant() {
  return {{"none", "private memory of one process (transparent huge pages asked for)",
           Need::kOneAddressSpace,
           [](const BlockSettings& s) { return std::make_unique<PrivateBlock>(s); }}};
}

}  // namespace parbench::ipc
