// One connection per flag, per thread and per process: a socket must not carry two requests at
// once, and a connection inherited through fork() is the parent's. Each thread keeps its own list;
// an entry made in another process generation is replaced on first use.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "ipc/process_generation.hpp"

namespace parbench::ipc {

// A number no other owner in this process has had, so that a new owner at a freed owner's address
// never picks up its stale connection.
inline std::uint64_t new_connection_owner() {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1);
}

// The calling thread's connection for `owner`, made with open() when there is none for this
// process yet. Connection is a movable RAII type that closes itself.
template <typename Connection, typename Open>
Connection& thread_connection(std::uint64_t owner, Open&& open) {
  struct Entry {
    std::uint64_t owner;
    unsigned generation;
    std::unique_ptr<Connection> connection;  // stays put while the list changes
  };
  thread_local std::vector<Entry> entries;
  const unsigned generation = process_generation();
  for (auto& e : entries) {
    if (e.owner == owner && e.generation == generation) return *e.connection;
  }
  auto made = std::make_unique<Connection>(std::forward<Open>(open)());
  std::erase_if(entries, [owner](const Entry& e) { return e.owner == owner; });
  entries.push_back({owner, generation, std::move(made)});
  return *entries.back().connection;
}

}  // namespace parbench::ipc
