#include "ipc/reach.hpp"

namespace parbench::ipc {

bool reaches(Need need, const WorkerModel& model) {
  switch (model.workers) {
    case Workers::kCaller:  // one worker sees whatever its own process made
      return need != Need::kMpiJob;
    case Workers::kThreads:
      return need == Need::kOneAddressSpace || need == Need::kMadeBeforeStart ||
             need == Need::kServer || (need == Need::kTbbTaskGroup && model.tbb_tasks);
    case Workers::kForkedProcesses:
      return need == Need::kMadeBeforeStart || need == Need::kSeparateMemory ||
             need == Need::kProcessLock || need == Need::kServer;
    case Workers::kRanks:  // each rank runs the plan with mechanisms of its own
      return need == Need::kMpiJob;
    case Workers::kRanksOfThreads:
      // The threads would have to call MPI at once (MPI_THREAD_MULTIPLE, which few transports
      // make fast), and memory of one rank does not reach the others.
      return false;
    case Workers::kQueueWorkers:
      // They share nothing with the owner but the queue, and what is on a server they are told
      // of (Mechanism::join_args).
      return need == Need::kServer;
    case Workers::kPythonProcesses:
      // What a forked pool can share: what is made before it forks, a process lock, a server.
      return need == Need::kMadeBeforeStart || need == Need::kProcessLock || need == Need::kServer;
  }
  return false;
}

// In the order of the enums' values.
std::string describe(Need need) {
  static constexpr const char* kText[] = {
      "one address space",
      "a oneTBB task group",
      "to be made on this host before the workers start",
      "workers with separate memory",
      "the ranks of one MPI job",
      "separate processes (a lock is held per process), made on this host before they start",
      "a server the workers reach by its address"};
  return kText[static_cast<int>(need)];
}

std::string describe(Workers workers) {
  static constexpr const char* kText[] = {"the caller itself",
                                          "threads of one process",
                                          "processes forked on this host",
                                          "MPI ranks, on one host or several",
                                          "MPI ranks with threads inside each",
                                          "queue workers on any host, sharing only the queue",
                                          "CPython multiprocessing workers"};
  return kText[static_cast<int>(workers)];
}

}  // namespace parbench::ipc
