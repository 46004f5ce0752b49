// What a --csv or --json argument names, decided before anything runs. A shell's `>` never turns a
// device or a FIFO into a regular file, and neither may parbench: regular files (and new ones) are
// written where a symlink chain ends, everything else that is not a directory is written through.
#pragma once

#include <string>
#include <string_view>

namespace parbench {

struct OutputTarget {
  enum class Kind {
    kStdout,  // "-"
    kFile,    // a regular file that exists, or a new one
    kStream,  // a character device, FIFO or socket: opened and written through, never replaced
  };
  std::string option;  // "--csv", for messages
  std::string given;   // as the user wrote it
  Kind kind = Kind::kFile;
  // kFile: the file at the end of any symlink chain (what gets written or replaced); otherwise
  // `given`.
  std::string path;
  // Equal for two targets that write the same thing: "device:inode" of what exists, else the
  // canonical path the new file will have.
  std::string identity;
};

// Throws UsageError for an empty argument, a directory, a symlink loop, or a file whose directory
// does not exist.
OutputTarget resolve_output(const std::string& given, const std::string& option);

// Tries that a new file can be made at `target`'s path (a file of a name nobody can guess beside
// it, removed at once), so that an unwritable directory is refused before anything runs and nothing
// stays behind if the run is killed outright. Throws UsageError.
void probe_new_file(const OutputTarget& target);

// Writes all of `text` to `fd`, retrying short writes and EINTR; throws std::system_error naming
// `what`.
void write_all(int fd, std::string_view text, const std::string& what);

// Refuses (UsageError) two outputs that end up in the same place: the same file through another
// relative path or a symlink, or stdout twice.
void refuse_same_output(const OutputTarget& a, const OutputTarget& b);

}  // namespace parbench
