#include "ipc/process_generation.hpp"

#include <pthread.h>

#include <atomic>

namespace parbench::ipc {
namespace {

std::atomic<unsigned> g_generation{1};
const bool g_registered = [] {
  pthread_atfork(nullptr, nullptr, [] { g_generation.fetch_add(1); });
  return true;
}();

}  // namespace

unsigned process_generation() noexcept {
  (void)g_registered;
  return g_generation.load(std::memory_order_relaxed);
}

}  // namespace parbench::ipc
