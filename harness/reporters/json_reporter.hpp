#pragma once

#include <string>

#include "harness/reporters/json_writer.hpp"
#include "harness/reporters/reporter.hpp"

namespace parbench {

// The whole run as one JSON document (context, then every configuration with its aggregates and raw
// repetitions), written at the end through a temporary file and rename(), so that the file is
// either complete or absent.
class JsonReporter final : public Reporter {
 public:
  explicit JsonReporter(std::string path);  // checks at once that the directory is writable
  void begin(const RunContext& context) override;
  void report(const ConfigResult& result) override;
  void end() override;

  static void write_fingerprint(JsonWriter& json, const Fingerprint& machine);

 private:
  std::string path_;
  JsonWriter json_;
};

}  // namespace parbench
