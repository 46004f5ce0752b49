// What the sharing variants have in common: the array is one mapping, which every worker writes in
// place. A variant only says how the mapping is made.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "ipc/fresh_name.hpp"
#include "ipc/mapping.hpp"
#include "ipc/shared_block.hpp"

namespace parbench::ipc {

class MappedBlock : public SharedBlock {
 public:
  // room_in: where a file-backed mapping's file lives ("" for /dev/shm), nullopt for memory that
  // needs no file system's room.
  MappedBlock(Mapping mapping, std::uint64_t bytes, std::optional<std::string> room_in = {})
      : mapping_(std::move(mapping)),
        words_(mapping_.words().first(bytes / sizeof(std::uint64_t))),
        room_in_(std::move(room_in)) {}
  std::span<std::uint64_t> words() final { return words_; }
  // The discard gives the pages, and with them their reservation, back to the file system; the
  // next touch takes them again. A full one would answer with SIGBUS: here it is an error.
  void discard() final {
    mapping_.discard();
    if (room_in_) require_room(words_.size_bytes(), *room_in_, "the block");
  }
  void populate() final { mapping_.populate(); }

 private:
  Mapping mapping_;
  std::span<std::uint64_t> words_;  // the array; the mapping may be rounded up to a huge page
  std::optional<std::string> room_in_;
};

}  // namespace parbench::ipc
