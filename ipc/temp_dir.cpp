#include "ipc/temp_dir.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "ipc/cleanup.hpp"

namespace parbench::ipc {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/parbench-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(), "cannot create a temporary directory");
  }
  path_ = pattern;
  register_path(path_, PathKind::kDirectory);
}

TempDir::~TempDir() {
  for (const auto& f : files_) {
    ::unlink(f.c_str());
    unregister_path(f);
  }
  ::rmdir(path_.c_str());
  unregister_path(path_);
}

std::string TempDir::file(const std::string& name) {
  std::string path = path_ + "/" + name;
  register_path(path, PathKind::kFile);
  files_.push_back(path);
  return path;
}

}  // namespace parbench::ipc
