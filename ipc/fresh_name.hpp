// What a run makes in a directory that others can write (/dev/shm, --dir): a name nobody can guess,
// created exclusively.
//
// A predictable name ("parbench-<pid>-seg-0") lets another user plant a file or a link under the
// next pids and make every run fail, or make a privileged run remove or write the planted file.
// The names keep the pid, by which a later run tells a dead owner's leftover (temp_dir.cpp), and
// add 64 random bits.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace parbench::ipc {

// "parbench-<pid>-<what>-<16 random hex digits>"; `what` is lowercase letters.
std::string unique_ipc_name(const char* what);
// The pid in a name unique_ipc_name made, or 0 for any other name (an old or planted one).
pid_t ipc_name_owner(std::string_view name);

// A file or shared-memory object made by create_exclusive: its descriptor (O_CLOEXEC) and the path
// registered for removal on every way out ("/<name>" for shared memory, as shm_unlink takes it).
struct Created {
  int fd = -1;
  std::string path;
};

// Creates "<dir>/<unique_ipc_name(what)>" with O_CREAT | O_EXCL (never an existing file, never
// through a link), mode 0600; an empty dir makes a POSIX shared-memory object (shm_open) instead.
// A name that exists already is drawn again, never an error. The path is registered for cleanup
// before the file exists, so that no Ctrl-C can leave it.
Created create_exclusive(const std::string& dir, const char* what);

}  // namespace parbench::ipc
