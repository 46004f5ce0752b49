#pragma once

#include <string>
#include <vector>

#include "harness/reporters/json_writer.hpp"
#include "harness/reporters/output_target.hpp"
#include "harness/reporters/reporter.hpp"

namespace parbench {

// The whole run as one JSON document: the context, then every configuration with its aggregates
// and raw repetitions. A file is replaced only by a complete document: after every configuration
// the document so far ("complete": false) is staged beside it, and renamed over it at the end, on
// Ctrl-C, or when the run fails, as long as one configuration finished. Standard output, a device
// or a FIFO are written through once, at the end.
class JsonReporter final : public Reporter {
 public:
  // Tries at once that a file can be made in the target's directory: a path that cannot be written
  // costs nothing (UsageError). Removes what a parbench killed outright left beside the target.
  explicit JsonReporter(OutputTarget target);
  ~JsonReporter() override;
  JsonReporter(const JsonReporter&) = delete;
  JsonReporter& operator=(const JsonReporter&) = delete;
  void begin(const RunContext& context) override;
  void report(const ConfigResult& result) override;
  void end() override;

  static void write_fingerprint(JsonWriter& json, const Fingerprint& machine);

 private:
  std::string document(bool complete) const;
  void stage(const std::string& text);
  OutputTarget target_;
  RunContext context_;
  std::vector<ConfigResult> results_;
  std::string staged_;  // the latest whole document, for a file target
  bool ended_ = false;
};

}  // namespace parbench
