// What every kind's Mechanism adapter shares: the registered variant it drives, the settings it is
// made with, and whether it was chosen as part of a group (--ipc all). The adapters add their
// kind's life (make, reset, finish, release) on top.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/backends/mechanism.hpp"
#include "ipc/mechanism_settings.hpp"
#include "ipc/variant.hpp"

namespace parbench {

// `Variant` is a kind's registered variant (ipc/variant.hpp), which says what it is made with.
template <typename Variant>
class VariantMechanism : public Mechanism {
 public:
  using Settings = typename Variant::MadeWith;

  VariantMechanism(const Variant& variant, Settings settings, bool chosen_as_group)
      : variant_(variant), settings_(std::move(settings)), chosen_as_group_(chosen_as_group) {}

  std::string name() const final { return variant_.name; }
  ipc::Need need() const final { return variant_.need; }
  bool chosen_as_group() const final { return chosen_as_group_; }

 protected:
  // A fresh instance of the variant, made with the settings.
  auto create() const { return variant_.create(settings_); }
  // join_args() of a made instance (ipc::JoinPoint): the hidden options of ipc_options.hpp.
  static std::vector<std::string> join_args_of(const std::optional<ipc::JoinPoint>& point) {
    if (!point) return {};
    return {"--join-url", point->url, "--join-key", point->key};
  }

  const Variant& variant_;
  Settings settings_;

 private:
  bool chosen_as_group_;
};

}  // namespace parbench
