// parbench list: what this build can run, and why not where it cannot.
#include <fmt/format.h>

#include "harness/backends/registry.hpp"
#include "harness/cli/commands.hpp"
#include "harness/kernels/kernel_spec.hpp"
#include "harness/text.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench::cli {
namespace {

void print_list() {
  fmt::print("kernels:\n");
  for (const auto& spec : make_kernel_specs())
    fmt::print("  {:<11} {}\n", spec->name(), spec->summary());

  fmt::print("backends (schedules they hand work out by):\n");
  for (const char* name : backends::kKnownBackends) {
    const auto* entry = backends::find_backend(name);
    if (entry == nullptr) {
      fmt::print("  {:<11} no (not compiled into this build)\n", name);
      continue;
    }
    const backends::Availability a = entry->availability();
    const std::string detail = a.detail.empty() ? "" : " (" + a.detail + ")";
    std::vector<std::string> schedules;
    for (const ScheduleKind kind : entry->schedules) schedules.push_back(schedule_name(kind));
    fmt::print("  {:<11} {}{}: {} [{}]\n", name, a.runnable ? "yes" : "no", detail, entry->summary,
               fmt::join(schedules, ", "));
  }

  fmt::print("ipc variants (the verify kernel's stop flags; other kernels use none):\n");
  fmt::print("  {:<13} every backend: every range runs to its end (the book's naive pool) [yes]\n",
             "none");
  fmt::print(
      "  {:<13} every backend: divisors below --serial-cutoff first, then the naive split [yes]\n",
      "serial-first");
  for (const auto& v : ipc::stop_flag_variants()) {
    const ipc::FlagAvailability a = v.availability(ipc::StopFlagSettings{});
    const std::string here = a.runnable ? "yes" : "no";
    const std::string runnable =
        a.detail.empty() ? fmt::format(" [{}]", here) : fmt::format(" [{}: {}]", here, a.detail);
    fmt::print("  {:<13} {}: {}{}\n", v.name, join(v.backends, ", "), v.summary, runnable);
  }
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
