// The analogue of the book's Manager.Value: a separate server process owns one 64-bit value, and
// every use of it is a request and a reply over a Unix socket (in a private directory). Each thread
// of each process keeps its own connection, made on first use (connection_cache.hpp). The broker
// flag and the broker counter are this server with their own requests.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ipc/child_process.hpp"
#include "ipc/temp_dir.hpp"

namespace parbench::ipc {

class Broker {
 public:
  enum class Op : char {
    kGet = 'G',
    kZero = 'Z',
    kRaiseToMin = 'R',  // keep the smallest nonzero value asked (a stop flag)
    kAdd = 'A',         // add the value asked (a counter)
  };

  // Starts the server process; it is killed and reaped with the object.
  Broker();
  // One request; returns the value after it. Throws when the server does not answer.
  std::uint64_t ask(Op op, std::uint64_t value = 0) const;

 private:
  int connection() const;

  std::uint64_t owner_;
  TempDir dir_;
  std::string path_;
  std::unique_ptr<ChildProcess> server_;
};

}  // namespace parbench::ipc
