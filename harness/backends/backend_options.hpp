// A backend's own command-line options and the settings they fill, as KernelSpec::add_options is a
// kernel's. A backend's entry names the function that makes its options (BackendEntry::options);
// the backends of a family name the same one and share its object (the MPI backends: mpirun's
// placement). `run` and `sweep` hold one object per group (OptionGroups), add their options, let
// them check what was given, and the runner hands each backend its group's object: a backend
// object by deriving from TakesSettings, a relaunch through LaunchRequest::options. Nothing above
// the backends names MPI's or the queue's settings.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace parbench::backends {

struct BackendEntry;

class BackendOptions {
 public:
  virtual ~BackendOptions() = default;
  // Adds the group's options to `run` and `sweep`, bound to its settings.
  virtual void add_to(CLI::App& cmd) = 0;
  // Once the command line is parsed, before anything runs: completes the settings from options
  // that others registered (--redis, which the kernels' mechanisms share) and refuses bad input
  // (UsageError). `named`: the --backend list as given (empty: the default matrix).
  virtual void after_parse(const CLI::App& /*cmd*/, const std::vector<std::string>& /*named*/) {}
};

// A group whose settings are one struct, which the runner copies into the backend.
template <class Settings>
class OptionsOf : public BackendOptions {
 public:
  Settings settings;
};

// The settings a group filled, or their defaults where an entry has no group (a test's own entry).
template <class Settings>
Settings settings_in(const BackendOptions* options) {
  if (options == nullptr) return Settings{};
  return dynamic_cast<const OptionsOf<Settings>&>(*options).settings;  // else a registration bug
}

// A backend opts into its settings by also deriving from TakesSettings<ItsSettings>; the runner
// calls take_options() before start().
class TakesOptions {
 public:
  virtual ~TakesOptions() = default;
  virtual void take_options(const BackendOptions* options) = 0;
};

template <class Settings>
class TakesSettings : public TakesOptions {
 public:
  void take_options(const BackendOptions* options) final {
    settings_ = settings_in<Settings>(options);
  }

 protected:
  Settings settings_;
};

// One object per options group of the registered backends, in registration order, for one
// command.
class OptionGroups {
 public:
  OptionGroups();
  void add_to(CLI::App& cmd);
  void after_parse(const CLI::App& cmd, const std::vector<std::string>& named);
  // The group of `entry`, null where it has none.
  const BackendOptions* of(const BackendEntry& entry) const;

 private:
  using Make = std::unique_ptr<BackendOptions> (*)();
  struct Group {
    Make make;  // the entries naming it share the object
    std::unique_ptr<BackendOptions> options;
  };
  std::vector<Group> groups_;
};

}  // namespace parbench::backends
