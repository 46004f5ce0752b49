// A shared counter (ipc/shared_counter.hpp) as the runner drives it: made for each configuration,
// reset before every repetition, read after it, released after the configuration. The result of
// a repetition is what the counter reached, not what the backend's reduction says: for the count
// kernel that is the experiment, for a kernel that publishes through it the counter is the only
// way its result arrives. What the workers added (the backend's reduction of their returns) minus
// what arrived is the row's lost_updates measurement, as a file variant's unparsable reads are.
#pragma once

#include <memory>

#include "harness/mechanisms/variant_mechanism.hpp"
#include "ipc/shared_counter.hpp"

namespace parbench {

class CounterMechanism final : public VariantMechanism<ipc::CounterVariant> {
 public:
  using VariantMechanism::VariantMechanism;

  void make() override { counter_ = create(); }
  void reset() override { counter_->reset(); }
  // `result` is what the backend combined from the workers' returns: all they added.
  std::uint64_t finish(std::uint64_t result, Measurements& measurements) override;
  void release() noexcept override { counter_.reset(); }
  // The native counter, reset before the repetition and untouched by Python workers, takes their
  // count in one add: finish() then reads it as it reads a count the workers made here.
  void take_reached(std::uint64_t reached) override {
    counter_->reset();
    if (reached != 0) counter_->add(reached);
  }
  std::vector<std::string> join_args() const override {
    return counter_ ? join_args_of(counter_->join_point()) : std::vector<std::string>{};
  }

  // Whether the counter can lose updates (a negative control).
  bool safe() const { return variant_.safe; }
  // For the kernel's workers, between make() and release().
  ipc::SharedCounter& counter() const { return *counter_; }

 private:
  std::unique_ptr<ipc::SharedCounter> counter_;
};

}  // namespace parbench
