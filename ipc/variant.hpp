// A registered variant of a kind of mechanism (a stop flag, a shared counter, a shared block), and
// the registry of each kind: what every kind says of its variants is written here once, and a kind
// that says more (whether a counter is safe, how many arrays a block keeps) derives and adds only
// that. Each kind's registry is one line per variant in its own .cpp.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ipc/mechanism_settings.hpp"
#include "ipc/reach.hpp"

namespace parbench::ipc {

// `Interface` is what the kind's variants implement (StopFlag, SharedCounter, SharedBlock),
// `Settings` what they are made with.
template <typename Interface, typename Settings = MechanismSettings>
struct Variant {
  using MadeWith = Settings;  // for the kind's Mechanism adapter (harness/mechanisms/)

  std::string name;
  std::string summary;
  // What the workers must share for the mechanism to reach them (ipc/reach.hpp).
  Need need;
  std::function<std::unique_ptr<Interface>(const Settings&)> create;
  std::function<Availability(const Settings&)> availability = [](const Settings&) {
    return Availability{};
  };
};

// The variants of one kind (a Variant, or a struct derived from one), in the order of its
// registration lines. Defined, once per kind, in the kind's registry file (stop_flags.cpp,
// shared_counters.cpp, shared_blocks.cpp), and declared in its header.
template <typename KindVariant>
const std::vector<KindVariant>& registered();

// The variant of a registry with this name; null when there is none.
template <typename KindVariant>
const KindVariant* find_variant(const std::vector<KindVariant>& variants, const std::string& name) {
  for (const auto& v : variants) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

// The registered variant of its kind with this name; null when there is none.
template <typename KindVariant>
const KindVariant* find_registered(const std::string& name) {
  return find_variant(registered<KindVariant>(), name);
}

}  // namespace parbench::ipc
