// What the sharing variants have in common: the array is one mapping, which every worker writes in
// place. A variant only says how the mapping is made.
#pragma once

#include <utility>

#include "ipc/mapping.hpp"
#include "ipc/shared_block.hpp"

namespace parbench::ipc {

class MappedBlock : public SharedBlock {
 public:
  MappedBlock(Mapping mapping, std::uint64_t bytes)
      : mapping_(std::move(mapping)),
        words_(mapping_.words().first(bytes / sizeof(std::uint64_t))) {}
  std::span<std::uint64_t> words() final { return words_; }
  void discard() final { mapping_.discard(); }
  void populate() final { mapping_.populate(); }

 private:
  Mapping mapping_;
  std::span<std::uint64_t> words_;  // the array; the mapping may be rounded up to a huge page
};

}  // namespace parbench::ipc
