// --ipc and --redis: one pair of options for every kernel that uses a mechanism, each kernel
// reading the names as its own kind (verify: stop flags; count, pi, primes: shared counters), and
// --publish-every for the kernels that publish through a counter. Registered once,
// by the first kernel that asks; choose() turns the names into variants the same way for every
// kind.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/App.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/records/errors.hpp"
#include "ipc/fresh_name.hpp"
#include "ipc/mechanism_settings.hpp"
#include "ipc/reach.hpp"
#include "ipc/variant.hpp"

namespace parbench {

struct IpcOptions {
  std::vector<std::string> names;  // as given; empty: each kernel's own default
  std::string redis_url;
  std::string publish_every = "slice";  // pi and primes with a counter: items between two adds
  // A queue worker's: the owner's mechanism to join (Mechanism::join_args), never the user's.
  std::string join_url;
  std::string join_key;

  void add_to(CLI::App& run);
  // The names given that a kernel knows (`known`: its kind's variants, none, all), or `fallback`
  // where none was given or none given is its own: in a run of several kernels each takes its
  // kind's names from the one --ipc list (verify the flags, pi the counters), and a name of both
  // kinds applies to both. run_matrix refuses a name that no kernel of the run knows.
  std::vector<std::string> mine(const std::vector<std::string>& known,
                                std::vector<std::string> fallback) const;
  // The settings every variant is made with; a malformed --redis URL is a UsageError.
  ipc::MechanismSettings settings() const;
};

// The names a kernel of `variants`' kind accepts in --ipc: each variant, "all", and "none" where
// the kernel runs without a mechanism.
template <typename Variant>
std::vector<std::string> ipc_names_of(const std::vector<Variant>& variants, bool has_none) {
  std::vector<std::string> names{"all"};
  if (has_none) names.emplace_back("none");
  for (const auto& v : variants) names.push_back(v.name);
  return names;
}

template <typename Variant>
struct ChosenVariant {
  const Variant* variant;  // null for none
  bool from_all;           // chosen by "all", not by name: skipped quietly where it cannot run
};

// `names` in the order given, "all" expanded where it stands to none (where the kernel has it) and
// every variant of the kind; duplicates dropped. A variant named outright that cannot run here is
// refused, and so is one that cannot be made (no server answers), before anything runs; one from
// "all" is skipped with a warning. `kind` names the kind in messages ("stop-flag", "counter").
// `settings` are what the kind's variants are made with (ipc::MechanismSettings, a block's size).
template <typename Variant, typename Settings>
std::vector<ChosenVariant<Variant>> choose(const std::vector<std::string>& names,
                                           const std::vector<Variant>& variants, bool has_none,
                                           const Settings& settings, const std::string& kind,
                                           const std::string& hint = "") {
  const auto named = [&](const std::string& v) {
    return std::find(names.begin(), names.end(), v) != names.end();
  };
  std::vector<std::string> expanded;
  for (const auto& v : names) {
    if (v != "all") {
      expanded.push_back(v);
      continue;
    }
    if (has_none) expanded.emplace_back("none");
    for (const auto& variant : variants) expanded.push_back(variant.name);
  }
  std::vector<ChosenVariant<Variant>> chosen;
  std::vector<std::string> seen;
  for (const auto& v : expanded) {
    if (std::find(seen.begin(), seen.end(), v) != seen.end()) continue;
    seen.push_back(v);
    if (has_none && v == "none") {
      chosen.push_back({nullptr, !named(v)});
      continue;
    }
    const Variant* it = ipc::find_variant(variants, v);
    if (it == nullptr) {
      throw UsageError(fmt::format("unknown {} variant '{}' (known: {}){}", kind, v,
                                   fmt::join(ipc_names_of(variants, has_none), ", "), hint));
    }
    ipc::Availability a = it->availability(settings);
    if (a.runnable && !ipc::made_after_start(it->need)) {
      try {  // made once and dropped: a server that does not answer is found now
        it->create(settings);
      } catch (const ipc::NoRoom&) {
        // A full /dev/shm: the configurations that need the room fail with the reason, if it is
        // still missing then, and the rest of the plan runs.
      } catch (const std::runtime_error& e) {
        a = {false, e.what()};
      }
    }
    if (!a.runnable && named(v))
      throw UsageError(fmt::format("ipc {} cannot run here: {}", v, a.detail));
    if (!a.runnable) {
      fmt::print(stderr, "parbench: warning: skipping ipc {}: {}\n", v, a.detail);
      continue;
    }
    chosen.push_back({it, !named(v)});
  }
  return chosen;
}

}  // namespace parbench
