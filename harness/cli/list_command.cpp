// parbench list: what this build can run, and why not where it cannot.
#include <fmt/format.h>

#include "harness/backends/registry.hpp"
#include "harness/cli/commands.hpp"
#include "harness/workloads/kernel_spec.hpp"
#include "ipc/shared_block.hpp"
#include "ipc/shared_counter.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench::cli {
namespace {

// The backends a mechanism with this need reaches, computed from what each backend declares.
std::string reached_by(ipc::Need need) {
  std::vector<std::string> names;
  for (const auto& entry : backends::all_backends()) {
    if (entry.make && ipc::reaches(need, entry.model)) names.push_back(entry.name);
  }
  return names.empty() ? "no backend of this build" : fmt::format("{}", fmt::join(names, ", "));
}

// One line per mechanism: name, reach, need, summary, and whether it can run here.
// `settings`: what availability is asked for (a block's size).
template <typename Variant, typename Settings = ipc::MechanismSettings>
void print_variant(const Variant& v, const Settings& settings = {}) {
  const ipc::Availability a = v.availability(settings);
  const std::string here = a.runnable ? "yes" : "no";
  const std::string runnable =
      a.detail.empty() ? fmt::format(" [{}]", here) : fmt::format(" [{}: {}]", here, a.detail);
  fmt::print("  {:<18} {} (needs {}): {}{}\n", v.name, reached_by(v.need), ipc::describe(v.need),
             v.summary, runnable);
}

void print_list() {
  fmt::print("kernels:\n");
  for (const auto& spec : make_kernel_specs())
    fmt::print("  {:<11} {}\n", spec->name(), spec->summary());

  fmt::print("backends (whose workers are; the schedules they hand work out by):\n");
  for (const auto& entry : backends::all_backends()) {
    const backends::Availability a = entry.availability();
    const std::string detail = a.detail.empty() ? "" : " (" + a.detail + ")";
    if (!entry.make) {
      fmt::print("  {:<11} no{}\n", entry.name, detail);
      continue;
    }
    std::vector<std::string> schedules;
    for (const ScheduleKind kind : entry.schedules) schedules.push_back(schedule_name(kind));
    fmt::print("  {:<11} {}{}: {}; workers are {} [{}]\n", entry.name, a.runnable ? "yes" : "no",
               detail, entry.summary, ipc::describe(entry.model.workers),
               fmt::join(schedules, ", "));
  }

  fmt::print(
      "stop flags (verify --ipc; other kernels use none), what each needs and the backends that "
      "reach it:\n");
  fmt::print(
      "  {:<18} every backend: every range runs to its end (with --serial-cutoff, the "
      "default, the book's less naive pool) [yes]\n",
      "none");
  for (const auto& v : ipc::registered<ipc::StopFlagVariant>()) print_variant(v);
  fmt::print(
      "shared counters (count --ipc; default all), what each needs and the backends that reach "
      "it:\n");
  for (const auto& v : ipc::registered<ipc::CounterVariant>()) print_variant(v);
  fmt::print(
      "shared blocks (fill --ipc; default all), what each needs and the backends that reach it "
      "(here for fill's default 256 MiB array):\n");
  for (const auto& v : ipc::registered<ipc::BlockVariant>())
    print_variant(v, ipc::BlockSettings{256ULL << 20});
}

}  // namespace

void setup_list_command(CLI::App& app, int& exit_code) {
  auto* list = app.add_subcommand(
      "list", "Kernels, backends and IPC variants compiled in, and whether each can run here");
  list->callback([&exit_code] {
    print_list();
    exit_code = 0;
  });
}

}  // namespace parbench::cli
