#include "ipc/reach.hpp"

namespace parbench::ipc {

bool reaches(Need need, const WorkerModel& model) {
  switch (model.workers) {
    case Workers::kCaller:  // one worker sees whatever its own process made
      return need != Need::kMpiJob;
    case Workers::kThreads:
      return need == Need::kOneAddressSpace || need == Need::kMadeBeforeStart ||
             (need == Need::kTbbTaskGroup && model.tbb_tasks);
    case Workers::kForkedProcesses:
      return need == Need::kMadeBeforeStart || need == Need::kSeparateMemory;
    case Workers::kRanks:  // each rank runs the plan with mechanisms of its own
      return need == Need::kMpiJob;
  }
  return false;
}

std::string describe(Need need) {
  switch (need) {
    case Need::kOneAddressSpace:
      return "one address space";
    case Need::kTbbTaskGroup:
      return "a oneTBB task group";
    case Need::kMadeBeforeStart:
      return "made on this host before the workers start";
    case Need::kSeparateMemory:
      return "workers with separate memory";
    case Need::kMpiJob:
      return "the ranks of one MPI job";
  }
  return "?";
}

std::string describe(Workers workers) {
  switch (workers) {
    case Workers::kCaller:
      return "the caller itself";
    case Workers::kThreads:
      return "threads of one process";
    case Workers::kForkedProcesses:
      return "processes forked on this host";
    case Workers::kRanks:
      return "MPI ranks, on one host or several";
  }
  return "?";
}

}  // namespace parbench::ipc
