// Everything a run creates outside its own address space (child processes, shared-memory names,
// temporary files) is registered here, so that normal exit, an exception and Ctrl-C all remove it.
// The registry is read from a signal handler, hence a fixed table of atomics and no allocation
// there.
#pragma once

#include <sys/types.h>

#include <string>

namespace parbench::ipc {

enum class PathKind { kSharedMemory, kFile, kDirectory };

// graceful: send SIGTERM and give the child a moment before SIGKILL (mpirun forwards SIGTERM to its
// ranks and cleans up after them; killing it outright would orphan them).
void register_child(pid_t pid, bool graceful = false);
void unregister_child(pid_t pid);
void register_path(const std::string& path, PathKind kind);
void unregister_path(const std::string& path);

// SIGINT, SIGTERM and SIGHUP remove everything registered and exit with 128 + the signal (130 for
// Ctrl-C). Output already written stays: reporters only ever write whole rows. SIGPIPE is ignored.
void install_interrupt_handlers();

// Kills and reaps registered children, removes registered paths. Async-signal-safe.
void cleanup_all() noexcept;

}  // namespace parbench::ipc
