// Everything a run creates outside its own address space (child processes, shared-memory names,
// temporary files) is registered here, so that normal exit, an exception and Ctrl-C all remove it.
// The registry is read from a signal handler, hence a fixed table of atomics and no allocation
// there.
#pragma once

#include <sys/types.h>

#include <string>

namespace parbench::ipc {

// kEmptyFile: a file this run created for output, removed only while it is still empty (another
// process may append to it meanwhile).
// kTree: a directory whose contents, names unknown to parbench (what a child wrote under it, two
// levels deep), are removed; the directory itself is kDirectory's.
enum class PathKind { kSharedMemory, kFile, kEmptyFile, kDirectory, kCommit, kTree };

// graceful: send SIGTERM and give the child a moment before SIGKILL (mpirun forwards SIGTERM to its
// ranks and cleans up after them; killing it outright would orphan them).
void register_child(pid_t pid, bool graceful = false);
void unregister_child(pid_t pid);
void register_path(const std::string& path, PathKind kind);
void unregister_path(const std::string& path);
// A complete document standing in for `target` while a run goes on (the JSON of the configurations
// finished so far): an interrupt renames it over `target` instead of removing it.
void register_commit(const std::string& path, const std::string& target);

// A request written to a server's socket `fd` as the run goes, Ctrl-C included, so that nothing of
// the run stays on a server it does not own (Redis: a script deleting the run's keys, already in
// the server's wire format). Sent after the children are gone; the answer is awaited briefly.
void register_farewell(int fd, const std::string& request);
void unregister_farewell(int fd);

// One line printed on stderr when an interrupt ends the run ("kept 3 rows in out.csv"); kept up to
// date by the reporters. Empty: nothing is printed.
void set_interrupt_note(const std::string& text);

// Whether `sig` was ignored when parbench started (nohup): it then stays ignored, in parbench and
// in the children it forks.
bool ignored_at_start(int sig) noexcept;

// SIGINT, SIGTERM and SIGHUP remove everything registered and exit with 128 + the signal (130 for
// Ctrl-C). Output already written stays: reporters only ever write whole rows. SIGPIPE is ignored.
// A signal that was ignored when parbench started stays ignored.
void install_interrupt_handlers();

// Kills and reaps registered children, removes registered paths. Async-signal-safe.
void cleanup_all() noexcept;

}  // namespace parbench::ipc
