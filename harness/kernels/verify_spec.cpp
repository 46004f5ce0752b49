// verify on the command line: its options, and one workload per number, stop-flag variant and
// check interval. The workload itself is verify_workload.cpp; the flag's life is the runner's.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "harness/errors.hpp"
#include "harness/kernels/kernel_spec.hpp"
#include "harness/kernels/verify_workload.hpp"
#include "harness/parse.hpp"
#include "harness/reporters/verify_table.hpp"
#include "ipc/stop_flag.hpp"
#if PARBENCH_HAVE_REDIS
#include "ipc/redis_server.hpp"
#endif

namespace parbench {
namespace {

class VerifySpec final : public KernelSpec {
 public:
  std::string name() const override { return "verify"; }
  std::string summary() const override {
    return "is n prime? trial division by cooperating workers that stop early through a flag";
  }

  void add_options(CLI::App& run) override {
    auto* group = run.add_option_group("verify", "Options of the verify kernel");
    group->add_option("--n", numbers_, "Numbers to verify, a list; 'book' is the book's five")
        ->delimiter(',')
        ->capture_default_str();
    group
        ->add_option("--ipc", variants_,
                     "Stop-flag mechanisms, a list (see `parbench list`); all: every one that can "
                     "run here")
        ->delimiter(',')
        ->capture_default_str();
    group->add_option("--redis", redis_url_,
                      "The redis variant's server, redis://host[:port] or unix:///path; default: a "
                      "private redis-server");
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
        ->capture_default_str();
  }

  std::unique_ptr<Reporter> make_table(std::ostream& out) const override {
    return std::make_unique<VerifyTableReporter>(out);
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
    const ipc::StopFlagSettings flag_settings{redis_url_};
#if PARBENCH_HAVE_REDIS
    if (!redis_url_.empty()) {
      try {
        ipc::parse_redis_url(redis_url_);
      } catch (const std::invalid_argument& e) {
        throw UsageError(fmt::format("--redis: {}", e.what()));
      }
    }
#endif
    const std::uint64_t cutoff = parse_integer(serial_cutoff_, "--serial-cutoff", 0,
                                               std::numeric_limits<std::uint64_t>::max());
    std::vector<std::shared_ptr<const Workload>> list;
    for (const std::uint64_t n : numbers) {
      for (const auto& v : chosen_variants(flag_settings)) {
        for (const auto& k : check_every_) {
          // Without a flag the interval changes nothing: one configuration, not one per K.
          if (v.variant == nullptr && &k != &check_every_.front()) continue;
          VerifySettings settings{n,      k == "auto" ? 0 : parse_count(k, "--check-every"),
                                  style,  exact_smallest_,
                                  cutoff, redis_url_};
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
  std::vector<std::string> variants_{"none"};
  std::vector<std::string> check_every_{"1000"};
  std::string style_ = "counter";
  bool exact_smallest_ = false;
  std::string serial_cutoff_ = "21";
  std::string redis_url_;

  struct ChosenVariant {
    const ipc::StopFlagVariant* variant;  // null for none
    bool from_all;
  };

  // --ipc as given, or for "all" every variant this build has that can run here (the others are
  // skipped with a warning). A variant named outright that cannot run here is refused, and so is
  // one whose flag cannot be made (no server answers), before anything runs.
  std::vector<ChosenVariant> chosen_variants(const ipc::StopFlagSettings& settings) const {
    const auto named = [this](const std::string& v) {
      return std::find(variants_.begin(), variants_.end(), v) != variants_.end();
    };
    std::vector<std::string> names;  // in the order given, "all" expanded where it stands
    for (const auto& v : variants_) {
      if (v != "all") {
        names.push_back(v);
        continue;
      }
      names.emplace_back("none");
      for (const auto& variant : ipc::stop_flag_variants()) names.push_back(variant.name);
    }
    std::vector<ChosenVariant> chosen;
    std::vector<std::string> seen;
    for (const auto& v : names) {
      if (std::find(seen.begin(), seen.end(), v) != seen.end()) continue;
      seen.push_back(v);
      if (v == "none") {
        chosen.push_back({nullptr, !named(v)});
        continue;
      }
      const auto* variant = ipc::find_stop_flag(v);
      if (variant == nullptr) {
        std::vector<std::string> known{"none", "all"};
        for (const auto& f : ipc::stop_flag_variants()) known.push_back(f.name);
        const std::string hint =
            v == "serial-first"
                ? "; the book's serial pre-check is now --serial-cutoff (on by default) with any "
                  "--ipc, and none with it is the book's less naive pool"
                : "";
        throw UsageError(
            fmt::format("unknown ipc variant '{}' (known: {}){}", v, fmt::join(known, ", "), hint));
      }
      auto a = variant->availability(settings);
      if (a.runnable && !ipc::made_after_start(variant->need)) a = try_making(*variant, settings);
      if (!a.runnable && named(v))
        throw UsageError(fmt::format("ipc {} cannot run here: {}", v, a.detail));
      if (!a.runnable) {
        fmt::print(stderr, "parbench: warning: skipping ipc {}: {}\n", v, a.detail);
        continue;
      }
      chosen.push_back({variant, !named(v)});
    }
    return chosen;
  }

  // Makes the flag once and drops it: a server that does not answer is found now, not in the
  // middle of the run.
  static ipc::FlagAvailability try_making(const ipc::StopFlagVariant& variant,
                                          const ipc::StopFlagSettings& settings) {
    try {
      variant.create(settings);
      return {};
    } catch (const std::runtime_error& e) {
      return {false, e.what()};
    }
  }
};

}  // namespace

std::unique_ptr<KernelSpec> make_verify_spec() { return std::make_unique<VerifySpec>(); }

}  // namespace parbench
