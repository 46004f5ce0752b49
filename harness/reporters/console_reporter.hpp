#pragma once

#include <ostream>

#include "harness/reporters/reporter.hpp"

namespace parbench {

// The human summary: one line per configuration with the aggregates (median, spread, throughput,
// speed-up, efficiency), as soon as it finishes.
class ConsoleReporter final : public Reporter {
 public:
  explicit ConsoleReporter(std::ostream& out) : out_(out) {}
  void begin(const RunContext& context) override;
  void report(const ConfigResult& result) override;
  void end() override;

 private:
  std::ostream& out_;
  bool header_done_ = false;
  int failures_ = 0;
  int configurations_ = 0;
};

}  // namespace parbench
