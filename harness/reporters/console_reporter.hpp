#pragma once

#include <algorithm>
#include <cstddef>
#include <ostream>

#include "harness/reporters/reporter.hpp"

namespace parbench {

// The human summary: one line per configuration with the aggregates (median, spread, throughput,
// speed-up, efficiency), as soon as it finishes.
class ConsoleReporter final : public Reporter {
 public:
  // `ipc_width`: the longest ipc name the rows will have, so that the columns stay aligned.
  explicit ConsoleReporter(std::ostream& out, std::size_t ipc_width = 4)
      : out_(out), ipc_width_(std::max<std::size_t>(ipc_width, 4)) {}
  void begin(const RunContext& context) override;
  void report(const ConfigResult& result) override;
  void end() override;

 private:
  std::ostream& out_;
  std::size_t ipc_width_;
  bool header_done_ = false;
  int failures_ = 0;
  int configurations_ = 0;
};

}  // namespace parbench
