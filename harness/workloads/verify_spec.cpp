// verify on the command line: its options, and one workload per number, stop-flag variant and
// check interval. The workload itself is verify_workload.cpp; the flag's life is the runner's.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "harness/backends/number_options.hpp"
#include "harness/backends/parse.hpp"
#include "harness/backends/registry.hpp"
#include "harness/records/errors.hpp"
#include "harness/reporters/verify_table.hpp"
#include "harness/workloads/ipc_options.hpp"
#include "harness/workloads/kernel_spec.hpp"
#include "harness/workloads/verify_workload.hpp"
#include "ipc/stop_flag.hpp"

namespace parbench {
namespace {

// The table's reference backend: the one whose workers are the caller (serial).
bool is_reference(const std::string& backend) {
  const auto* entry = backends::find_backend(backend);
  return entry != nullptr && backends::is_reference(*entry);
}
std::unique_ptr<Reporter> table_after_run(std::ostream& out) {
  return make_verify_table(out, is_reference);
}
VerifyCell cell_of_rows(const std::vector<CsvRow>& rows) {
  return verify_cell_of(rows, is_reference);
}

class VerifySpec final : public KernelSpec {
 public:
  std::string name() const override { return "verify"; }
  std::string summary() const override {
    return "is n prime? trial division by cooperating workers that stop early through a flag";
  }

  explicit VerifySpec(std::shared_ptr<IpcOptions> ipc) : ipc_(std::move(ipc)) {}

  void add_options(CLI::App& run) override {
    ipc_->add_to(run);
    auto* group = run.add_option_group("verify", "Options of the verify kernel");
    group->add_option("--n", numbers_, "Numbers to verify, a list; 'book' is the book's five")
        ->delimiter(',')
        ->capture_default_str();
    group
        ->add_option(
            "--check-every", check_every_,
            "Candidates between two looks at the flag, a list; auto keeps checks under 0.5% "
            "of the work")
        ->delimiter(',')
        ->capture_default_str();
    group
        ->add_option("--check-style", style_,
                     "counter (a countdown in the loop) or block (the book's mmap redux)")
        ->transform(CLI::IsMember({"counter", "block"}))
        ->capture_default_str();
    group->add_flag("--exact-smallest", exact_smallest_,
                    "Stop only when no smaller factor can be missed");
    group
        ->add_option("--serial-cutoff", serial_cutoff_,
                     "The book's pre-check: divisors below this are tried in the parent before "
                     "any worker is woken, with every --ipc; 0 turns it off")
        ->transform(whole_count(0, std::numeric_limits<std::uint64_t>::max()))
        ->capture_default_str();
  }

  std::optional<KernelTable> table() const override {
    return KernelTable{"The book's verify table: variants x numbers, median seconds",
                       table_after_run, table_from_rows<cell_of_rows, print_verify_table>};
  }
  // serial-first too: the book's old name, refused by choose() with where it went.
  std::vector<std::string> ipc_names() const override {
    auto names = ipc_names_of(ipc::registered<ipc::StopFlagVariant>(), true);
    names.emplace_back("serial-first");
    return names;
  }

  std::vector<std::shared_ptr<const Workload>> workloads() const override {
    const auto style =
        style_ == "block" ? kernels::CheckStyle::kBlock : kernels::CheckStyle::kCounter;
    std::vector<std::uint64_t> numbers;
    for (const auto& text : numbers_) {
      if (text == "book") {
        numbers.insert(numbers.end(), std::begin(kBookNumbers), std::end(kBookNumbers));
      } else {
        numbers.push_back(parse_integer(text, "--n", 2, std::numeric_limits<std::uint64_t>::max()));
      }
    }
    const ipc::MechanismSettings flag_settings = ipc_->settings();
    const std::string hint =
        std::find(ipc_->names.begin(), ipc_->names.end(), "serial-first") != ipc_->names.end()
            ? "; the book's serial pre-check is now --serial-cutoff (on by default) with any "
              "--ipc, and none with it is the book's less naive pool"
            : "";
    const auto chosen =
        choose(ipc_->mine(ipc_names(), {"none"}), ipc::registered<ipc::StopFlagVariant>(), true,
               flag_settings, "stop-flag", hint);
    std::vector<std::shared_ptr<const Workload>> list;
    for (const std::uint64_t n : numbers) {
      for (const auto& v : chosen) {
        for (const auto& k : check_every_) {
          // Without a flag the interval changes nothing: one configuration, not one per K.
          if (v.variant == nullptr && &k != &check_every_.front()) continue;
          VerifySettings settings{n,
                                  k == "auto" ? 0 : parse_count(k, "--check-every"),
                                  style,
                                  exact_smallest_,
                                  serial_cutoff_,
                                  ipc_->redis_url};
          std::shared_ptr<StopFlagMechanism> flag;
          if (v.variant != nullptr) {
            flag = std::make_shared<StopFlagMechanism>(*v.variant, flag_settings, v.from_all,
                                                       [style] { return candidate_ns(style); });
          }
          list.push_back(std::make_shared<VerifyWorkload>(settings, std::move(flag)));
        }
      }
    }
    return list;
  }

 private:
  std::vector<std::string> numbers_{"book"};
  std::shared_ptr<IpcOptions> ipc_;
  std::vector<std::string> check_every_{"1000"};
  std::string style_ = "counter";
  bool exact_smallest_ = false;
  std::uint64_t serial_cutoff_ = 21;
};

}  // namespace

std::unique_ptr<KernelSpec> make_verify_spec(std::shared_ptr<IpcOptions> ipc) {
  return std::make_unique<VerifySpec>(std::move(ipc));
}

}  // namespace parbench
