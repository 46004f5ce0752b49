#include "ipc/worker_ledger.hpp"

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <thread>

namespace parbench::ipc {
namespace {

struct Faults {
  std::uint64_t minor = 0;
  std::uint64_t major = 0;
};

Faults own_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {static_cast<std::uint64_t>(usage.ru_minflt), static_cast<std::uint64_t>(usage.ru_majflt)};
}

// Fields 10 and 12 of /proc/PID/stat: the whole process's faults, every thread included.
Faults faults_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(in, text);
  const auto after_name = text.rfind(')');  // the name in parentheses may hold spaces
  if (after_name == std::string::npos) return {};
  std::istringstream fields(text.substr(after_name + 2));
  std::string field;
  Faults f;
  for (int i = 3; i <= 12 && fields >> field; ++i) {  // field 3 is the state
    if (i == 10) f.minor = std::stoull(field);
    if (i == 12) f.major = std::stoull(field);
  }
  return f;
}

// Rss and Pss of /proc/PID/smaps_rollup, in KiB.
std::pair<double, double> memory_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
  std::string line;
  double rss = 0.0;
  double pss = 0.0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key;
    double kib = 0.0;
    fields >> key >> kib;
    if (key == "Rss:") rss = kib;
    if (key == "Pss:") pss = kib;
  }
  return {rss, pss};
}

}  // namespace

WorkerLedger::WorkerLedger()
    : mapping_(sizeof(Page), MAP_SHARED | MAP_ANONYMOUS, -1, Mapping::Kind::kShared,
               "the worker ledger"),
      page_(new (mapping_.words().data()) Page{}) {}

void WorkerLedger::next_repetition() noexcept {
  page_->written_rows.store(0, std::memory_order_relaxed);
  page_->repetition.fetch_add(1, std::memory_order_release);
}

void WorkerLedger::found_written_row() noexcept {
  page_->written_rows.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t WorkerLedger::written_rows_found() const noexcept {
  return page_->written_rows.load(std::memory_order_relaxed);
}

void WorkerLedger::enrol() {
  const std::uint64_t repetition = page_->repetition.load(std::memory_order_acquire);
  if (enrolled_for_.load(std::memory_order_acquire) == repetition) return;
  const pid_t me = getpid();
  for (Slot& slot : page_->slots) {
    pid_t seen = slot.pid.load(std::memory_order_acquire);
    if (seen == 0 && slot.pid.compare_exchange_strong(seen, me)) seen = me;
    if (seen != me) continue;
    std::uint64_t claimed = slot.claimed_for.load(std::memory_order_acquire);
    if (claimed != repetition && slot.claimed_for.compare_exchange_strong(claimed, repetition)) {
      const Faults f = own_faults();  // before this process touches the array
      slot.minor0.store(f.minor, std::memory_order_relaxed);
      slot.major0.store(f.major, std::memory_order_relaxed);
      slot.ready_for.store(repetition, std::memory_order_release);
    }
    // Another thread of this process is noting the counters: it takes microseconds.
    while (slot.ready_for.load(std::memory_order_acquire) != repetition) std::this_thread::yield();
    enrolled_for_.store(repetition, std::memory_order_release);
    return;
  }
  // More processes than slots: they work unrecorded, and cost() counts fewer processes.
  enrolled_for_.store(repetition, std::memory_order_release);
}

ProcessCost WorkerLedger::cost() const {
  const std::uint64_t repetition = page_->repetition.load(std::memory_order_acquire);
  ProcessCost c;
  double rss = 0.0;
  double pss = 0.0;
  for (const Slot& slot : page_->slots) {
    const pid_t pid = slot.pid.load(std::memory_order_acquire);
    if (pid == 0) break;
    if (slot.ready_for.load(std::memory_order_acquire) != repetition) continue;
    const Faults now = faults_of(pid);
    c.minor_faults += now.minor - std::min(now.minor, slot.minor0.load());
    c.major_faults += now.major - std::min(now.major, slot.major0.load());
    const auto [rss_kib, pss_kib] = memory_of(pid);
    rss += rss_kib / 1024.0;
    pss += pss_kib / 1024.0;
    c.pss_mb_max = std::max(c.pss_mb_max, pss_kib / 1024.0);
    ++c.processes;
  }
  if (c.processes != 0) {
    c.rss_mb_mean = rss / static_cast<double>(c.processes);
    c.pss_mb_mean = pss / static_cast<double>(c.processes);
  }
  return c;
}

}  // namespace parbench::ipc
