// What every kind of mechanism (stop flags, shared counters) may take from the command line,
// whether one can run here, and making a variant from the settings.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace parbench::ipc {

struct MechanismSettings {
  std::string redis_url;  // empty: start a private redis-server
  // A key the owner of a mechanism made, which this process joins (a queue worker on any host):
  // used as it is, never cleared or deleted here. Empty: the mechanism is this process's own.
  std::string join_key;
};

// Where a process that shares nothing else with the owner finds the owner's mechanism: a server
// and a key on it. Only mechanisms on a server have one.
struct JoinPoint {
  std::string url;  // password included
  std::string key;
};

// Whether a mechanism can run here, and the detail `parbench list` shows.
struct Availability {
  bool runnable = true;
  std::string detail;
};

// The factory of a variant: a Mechanism made from the settings when it takes them, else from
// nothing (a Variant's create takes it as the interface the Mechanism implements).
template <typename Mechanism>
std::unique_ptr<Mechanism> make_from_settings(const MechanismSettings& settings) {
  if constexpr (std::is_constructible_v<Mechanism, const MechanismSettings&>) {
    return std::make_unique<Mechanism>(settings);
  } else {
    return std::make_unique<Mechanism>();
  }
}

}  // namespace parbench::ipc
