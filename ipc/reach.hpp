// Which mechanisms reach which workers, computed from what each side declares rather than from
// lists of names. A backend declares how its workers relate to the process that runs the plan and
// owns the mechanisms (the owner); a mechanism declares what it needs of them. Adding either side
// never touches the other.
#pragma once

#include <stdexcept>
#include <string>

namespace parbench::ipc {

// How a backend's workers share with the owner.
enum class Workers {
  kCaller,           // one worker, the owner itself: nothing needs to propagate
  kThreads,          // threads or tasks of the owner: one address space
  kForkedProcesses,  // processes forked by the owner on its host, after it made its mechanisms
  kRanks,            // processes an MPI launcher started, on one host or several
  kRanksOfThreads,   // MPI ranks with a pool of threads each (hybrids: mpi+threads, mpi+tbb)
  kQueueWorkers,     // processes on any host that take the workload from a job queue's
                     // description, never from the owner's memory (redis-queue)
  kPythonProcesses,  // CPython multiprocessing workers (python): they run the kernel's Python
                     // form and make the Python form of the mechanism themselves (a RawValue, a
                     // Manager), or join the owner's server; which names have one, the Python
                     // side says when the configuration starts (refused there, not here)
};

// Workers that are the ranks an MPI launcher started (with or without threads inside).
inline bool launched_ranks(Workers workers) {
  return workers == Workers::kRanks || workers == Workers::kRanksOfThreads;
}

struct WorkerModel {
  Workers workers = Workers::kThreads;
  bool tbb_tasks = false;  // the workers are oneTBB tasks of one task group
  // The workers report what they measured (a flag's looks) through the backend's own channel (a
  // queue's results, the Python side's reply), not into pages the owner mapped before they
  // started: they are not the owner's threads or children.
  bool report_through_backend = false;
  // The workers make a shared block themselves, in their own language's form (a
  // multiprocessing.Array), and tally what they found in it: the owner makes none and judges the
  // tallies it is given.
  bool make_own_blocks = false;
};

// What a mechanism needs of the workers.
enum class Need {
  kOneAddressSpace,  // memory of one process (a std::atomic)
  kTbbTaskGroup,     // oneTBB cancellation of the workers' task group
  kMadeBeforeStart,  // memory, a file or a server the owner makes on its host before the workers
                     // start: threads see it, forked processes inherit it
  kSeparateMemory,   // a negative control: workers that do not share memory
  kMpiJob,           // objects every rank of one MPI job makes together
  kProcessLock,      // made before the start like kMadeBeforeStart, but a lock the kernel grants
                     // to a process (POSIX record locks): it excludes forked processes from each
                     // other, never two threads of one process
  kServer,           // a key on a server the owner names or starts before the workers start:
                     // reached like kMadeBeforeStart, and by processes on any host that are told
                     // its address (queue workers)
};

bool reaches(Need need, const WorkerModel& model);
// Thrown by a mechanism that finds, while being made, that it cannot reach these workers after all,
// which only the running workers can tell (a one-sided MPI window between nodes over TCP). The
// configuration is refused with this one line, like a pair that reaches() rules out beforehand.
class Unreachable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// Where a mechanism is made: in the owner before the workers start, so that forked workers inherit
// it, or, for objects of an MPI job, in every rank together once the backend has started. Decided
// here, for every kind of mechanism.
inline bool made_after_start(Need need) { return need == Need::kMpiJob; }
// For `parbench list`: what the need means, in a few words.
std::string describe(Need need);
std::string describe(Workers workers);

}  // namespace parbench::ipc
