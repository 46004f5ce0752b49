// Reporters sit behind one small interface, the way google/benchmark keeps its console, JSON and
// CSV reporters: the runner hands each the context once and then every finished configuration.
#pragma once

#include "harness/records/record.hpp"

namespace parbench {

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void begin(const RunContext& context) = 0;
  // One finished configuration, with all its repetitions. Called as soon as it finishes, so that an
  // interrupted run keeps what it completed.
  virtual void report(const ConfigResult& result) = 0;
  virtual void end() {}
};

}  // namespace parbench
