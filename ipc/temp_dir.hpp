// A private temporary directory (mode 0700, "parbench-<pid>-XXXXXX" under $TMPDIR or /tmp, with a
// "host" file naming the host it was made on), removed with its registered files on every way out,
// Ctrl-C included. A kill -9 leaves it behind: the next parbench removes the directories and
// shared-memory segments of parbench processes that no longer exist.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace parbench::ipc {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // A path inside the directory, registered for removal.
  std::string file(const std::string& name);

 private:
  std::string path_;
  std::vector<std::string> files_;
};

// $TMPDIR made absolute (a relative one would change meaning for a server that changes directory),
// or /tmp.
std::string temp_base();

// This host's name, as the leftovers of a run record it.
std::string this_host();
// Whether process `pid` no longer exists on this host (its leftovers may go).
bool process_gone(pid_t pid);

// Removes what parbench processes that were killed outright (SIGKILL, a crash) left: temporary
// directories under temp_base() and "parbench-<pid>-*" segments in /dev/shm whose process is gone
// and which belong to this user (a segment only under a name parbench makes, random part
// included, and a plain file); a directory only when its "host" file names this host (a $TMPDIR
// shared by a cluster's nodes). Returns how many it removed.
int remove_stale_leftovers() noexcept;

}  // namespace parbench::ipc
