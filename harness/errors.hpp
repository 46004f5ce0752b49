#pragma once

#include <stdexcept>

namespace parbench {

// Bad input: main prints one line on stderr and exits with code 2, before anything is written.
class UsageError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A worker died or failed during a run: the configuration is reported as failed, the suite goes on.
class WorkerFailure : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace parbench
