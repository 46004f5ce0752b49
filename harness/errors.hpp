#pragma once

#include <exception>
#include <stdexcept>
#include <string>

namespace parbench {

// Bad input: main prints one line on stderr and exits with code 2, before anything is written.
class UsageError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A worker died or failed during a run: the configuration is reported as failed, the suite goes on.
class WorkerFailure : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a worker threw, as the WorkerFailure every backend promises: "`who` failed: what".
[[noreturn]] inline void rethrow_as_worker_failure(const std::exception_ptr& thrown,
                                                   const std::string& who) {
  try {
    std::rethrow_exception(thrown);
  } catch (const WorkerFailure&) {
    throw;
  } catch (const std::exception& e) {
    throw WorkerFailure(who + " failed: " + e.what());
  } catch (...) {
    throw WorkerFailure(who + " failed with an exception that is not a std::exception");
  }
}

}  // namespace parbench
