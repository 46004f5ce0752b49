// pi: Monte Carlo estimate of pi (kernels/monte_carlo_pi.hpp). One work item is one dart. With
// --ipc <counter> the hits are published through a shared counter
// (harness/workloads/publishing.hpp).
#include <fmt/format.h>

#include <cmath>
#include <numbers>

#include "harness/backends/parse.hpp"
#include "harness/workloads/kernel_spec.hpp"
#include "harness/workloads/publishing.hpp"
#include "harness/workloads/seed_option.hpp"
#include "kernels/monte_carlo_pi.hpp"

namespace parbench {
namespace {

// A result outside 6 sigma happens by chance with probability 2e-9: it means a bug.
constexpr double kSigmaBound = 6.0;

class PiWorkload final : public Workload {
 public:
  PiWorkload(std::uint64_t samples, std::uint64_t seed, Publishing publishing)
      : samples_(samples), seed_(seed), publishing_(std::move(publishing)) {}

  std::string kernel() const override { return "pi"; }
  std::string params() const override {
    return fmt::format("seed={}", seed_) + publishing_.params();
  }
  std::vector<std::string> cli_args() const override {
    std::vector<std::string> args{"--samples", std::to_string(samples_), "--seed",
                                  std::to_string(seed_)};
    for (auto& arg : publishing_.cli_args()) args.push_back(std::move(arg));
    return args;
  }
  std::uint64_t size() const override { return samples_; }
  Mechanism* mechanism() const override { return publishing_.mechanism(); }
  std::uint64_t run_slice(std::uint64_t begin, std::uint64_t end) const override {
    return publishing_.run(begin, end, [this](std::uint64_t b, std::uint64_t e) {
      return kernels::pi_count_hits(seed_, b, e);
    });
  }

  Verdict judge(std::uint64_t hits) const override {
    Verdict v;
    v.value = kernels::pi_estimate(hits, samples_);
    const double sigma = kernels::pi_sigma(samples_);
    const double error = std::abs(v.value - std::numbers::pi);
    v.valid = hits <= samples_ && error <= kSigmaBound * sigma;
    if (!v.valid) {
      v.error = fmt::format("estimate {:.9f} is {:.1f} sigma from pi (bound {} sigma)", v.value,
                            error / sigma, kSigmaBound);
    }
    return v;
  }

 private:
  std::uint64_t samples_;
  std::uint64_t seed_;
  Publishing publishing_;
};

class PiSpec final : public KernelSpec {
 public:
  PiSpec(std::shared_ptr<IpcOptions> ipc, std::shared_ptr<SeedOption> seed)
      : ipc_(std::move(ipc)), seed_(std::move(seed)) {}

  std::string name() const override { return "pi"; }
  std::string summary() const override { return "Monte Carlo pi with a counter-based generator"; }

  void add_options(CLI::App& run) override {
    ipc_->add_to(run);
    auto* group = run.add_option_group("pi", "Options of the pi kernel");
    group->add_option("--samples", samples_, "Darts per run, a list (1e9 or 1000000000)")
        ->delimiter(',')
        ->capture_default_str();
    seed_->add_to(run);
  }

  std::vector<std::string> ipc_names() const override { return publishing_ipc_names(); }

  std::vector<std::shared_ptr<const Workload>> workloads() const override {
    std::vector<std::shared_ptr<const Workload>> list;
    const auto ways = publishings(*ipc_);
    for (const auto& samples : samples_) {
      for (const std::uint64_t seed : seed_->or_default(1)) {
        for (const auto& publishing : ways) {
          list.push_back(
              std::make_shared<PiWorkload>(parse_count(samples, "--samples"), seed, publishing));
        }
      }
    }
    return list;
  }

 private:
  std::shared_ptr<IpcOptions> ipc_;
  std::vector<std::string> samples_{"1e9"};
  std::shared_ptr<SeedOption> seed_;
};

}  // namespace

std::unique_ptr<KernelSpec> make_pi_spec(std::shared_ptr<IpcOptions> ipc,
                                         std::shared_ptr<SeedOption> seed) {
  return std::make_unique<PiSpec>(std::move(ipc), std::move(seed));
}

}  // namespace parbench
