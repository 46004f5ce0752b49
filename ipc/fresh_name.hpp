// What a run makes in a directory that others can write (/dev/shm, --dir): a name nobody can guess,
// created exclusively, its memory reserved at once.
//
// A predictable name ("parbench-<pid>-seg-0") lets another user plant a file or a link under the
// next pids and make every run fail, or make a privileged run remove or write the planted file.
// The names keep the pid, by which a later run tells a dead owner's leftover (temp_dir.cpp), and
// add 64 random bits. A tmpfs file that is only truncated to size gets its pages at the first
// touch, and a full tmpfs then answers with SIGBUS, which kills the whole run: posix_fallocate
// reserves them first, so that a full /dev/shm is an error naming the room left.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <stdexcept>
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

// A file system without room for what a run makes: a failed configuration, not a bug, and not a
// reason to refuse a variant before the run (the room may be there by the time it runs).
class NoRoom : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Sizes fd to `bytes` and reserves its storage, so that touching any page later cannot fail. A full
// file system is NoRoom, such as "/dev/shm has 3 MiB free; the block needs 256 MiB"
// (`dir` is where the file lives, "" for /dev/shm; `what` names it: "the block").
void reserve(int fd, std::uint64_t bytes, const std::string& dir, const std::string& what);

// The same error where the memory is given back and faulted in again (a block's fresh pages every
// repetition): throws it unless `dir` still has room for `bytes`.
void require_room(std::uint64_t bytes, const std::string& dir, const std::string& what);

}  // namespace parbench::ipc
