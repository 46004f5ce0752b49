// A private temporary directory (mode 0700, unique name), removed with its registered files on
// every way out, Ctrl-C included.
#pragma once

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

}  // namespace parbench::ipc
