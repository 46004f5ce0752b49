// A kernel as the command line sees it: its own options, and the workloads they describe. Adding a
// kernel is one file implementing this and one line in kernel_spec.cpp.
#pragma once

#include <CLI/App.hpp>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/backends/workload.hpp"
#include "harness/reporters/kernel_table.hpp"
#include "harness/reporters/reporter.hpp"

namespace parbench {

class KernelSpec {
 public:
  virtual ~KernelSpec() = default;
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;
  // Adds the kernel's options to `parbench run` (in an option group named after the kernel).
  virtual void add_options(CLI::App& run) = 0;
  // After parsing: one workload per combination of the kernel's own lists. Throws UsageError.
  virtual std::vector<std::shared_ptr<const Workload>> workloads() const = 0;
  // The names the kernel accepts in --ipc (its kind's variants, none, all); empty for a kernel
  // without a mechanism.
  virtual std::vector<std::string> ipc_names() const { return {}; }
  // Worker counts of the kernel's own, used when it runs alone and --workers is not given (count
  // --increments book: the book's 4 workers); empty for the usual default.
  virtual std::vector<std::string> default_workers() const { return {}; }
  // A table of the kernel's own (verify: the book's table), printed to the human stream after a
  // run's rows and by `parbench report <name>`; nullopt for none.
  virtual std::optional<KernelTable> table() const { return std::nullopt; }
  // That table as a run's reporter; null for none.
  std::unique_ptr<Reporter> make_table(std::ostream& out) const {
    const auto own = table();
    return own ? own->after_run(out) : nullptr;
  }
};

std::vector<std::unique_ptr<KernelSpec>> make_kernel_specs();

// The one workload that `kernel`'s options `args` describe (Workload::cli_args read back), for a
// process that was handed them rather than a command line (a queue worker). Throws UsageError.
std::shared_ptr<const Workload> workload_from_args(const std::string& kernel,
                                                   const std::vector<std::string>& args);

struct IpcOptions;  // --ipc and --redis, shared by the kernels that use a mechanism
struct SeedOption;  // --seed, shared by the kernels that draw random numbers

std::unique_ptr<KernelSpec> make_pi_spec(std::shared_ptr<IpcOptions> ipc,
                                         std::shared_ptr<SeedOption> seed);
std::unique_ptr<KernelSpec> make_verify_spec(std::shared_ptr<IpcOptions> ipc);
std::unique_ptr<KernelSpec> make_count_spec(std::shared_ptr<IpcOptions> ipc);
std::unique_ptr<KernelSpec> make_fill_spec(std::shared_ptr<IpcOptions> ipc,
                                           std::shared_ptr<SeedOption> seed);
// Defaults differ between `run` (range C, in order) and `sweep` (range B, both orders, and no
// --ipc: a null `ipc`).
std::unique_ptr<KernelSpec> make_primes_spec(std::vector<std::string> default_ranges,
                                             std::vector<std::string> default_orders,
                                             std::shared_ptr<IpcOptions> ipc);

}  // namespace parbench
