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

// Three tiers of error. Bad input: UsageError, one line and exit code 2, before anything runs. An
// expected failure of one configuration (a worker died, a server went away): WorkerFailure or
// another std::runtime_error, a failed row, and the run goes on. A bug, a broken invariant:
// InternalError (or any std::logic_error), a failed row too, but reported as an internal error
// with where it was detected.
// (The place comes from __builtin_FILE and __builtin_LINE, which GCC and Clang both have, rather
// than std::source_location, which this Debian's clang-tidy cannot parse in GCC 12's library.)
class InternalError : public std::logic_error {
 public:
  explicit InternalError(const std::string& what, const char* file = __builtin_FILE(),
                         int line = __builtin_LINE());
};

// Throws InternalError when an invariant does not hold.
inline void expect(bool holds, const char* invariant, const char* file = __builtin_FILE(),
                   int line = __builtin_LINE()) {
  if (!holds) throw InternalError(invariant, file, line);
}

// The text of a failed row for an exception of any tier but bad input.
std::string failure_text(const std::exception& e);

// What a worker threw, as the WorkerFailure every backend promises: "`who` failed: what".
[[noreturn]] inline void rethrow_as_worker_failure(const std::exception_ptr& thrown,
                                                   const std::string& who) {
  try {
    std::rethrow_exception(thrown);
  } catch (const WorkerFailure&) {
    throw;
  } catch (const std::logic_error&) {
    throw;  // a bug stays a bug, whichever worker found it
  } catch (const std::exception& e) {
    throw WorkerFailure(who + " failed: " + e.what());
  } catch (...) {
    throw WorkerFailure(who + " failed with an exception that is not a std::exception");
  }
}

}  // namespace parbench
