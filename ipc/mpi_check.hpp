// One check for the return code of every MPI call: a failed call throws with the call's name, MPI's
// own words for the error and, where given, whose call it was (a flag's name). Calls made while
// tearing down (destructors, MPI_Abort) are not checked: there is nobody left to tell.
#pragma once

#include <mpi.h>

#include <fmt/format.h>
#include <stdexcept>
#include <string_view>

namespace parbench::ipc {

inline void mpi_check(int rc, std::string_view call, std::string_view owner = {}) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING] = {};
  int length = 0;
  MPI_Error_string(rc, text, &length);
  throw std::runtime_error(fmt::format("{}{}{} failed: {}", owner, owner.empty() ? "" : ": ", call,
                                       std::string_view(text, static_cast<std::size_t>(length))));
}

}  // namespace parbench::ipc
