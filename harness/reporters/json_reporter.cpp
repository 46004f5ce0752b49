#include "harness/reporters/json_reporter.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "harness/errors.hpp"
#include "harness/reporters/csv_format.hpp"
#include "ipc/cleanup.hpp"

namespace parbench {
namespace {

void write_summary(JsonWriter& json, const Summary& s) {
  json.begin_object();
  json.key("count").value(s.count).key("median").value(s.median).key("min").value(s.min);
  json.key("max").value(s.max).key("mean").value(s.mean).key("stddev").value(s.stddev);
  json.key("mad").value(s.mad).key("mdape_pct").value(s.mdape_pct);
  json.end_object();
}

void optional_value(JsonWriter& json, const std::optional<double>& v) {
  if (v) {
    json.value(*v);
  } else {
    json.null();
  }
}

}  // namespace

JsonReporter::JsonReporter(std::string path) : path_(std::move(path)) {
  const auto dir = std::filesystem::path(path_).parent_path();
  const std::string d = dir.empty() ? "." : dir.string();
  if (std::filesystem::is_directory(path_) || ::access(d.c_str(), W_OK) != 0) {
    throw UsageError(
        "cannot write JSON file " + path_ + ": " +
        (std::filesystem::is_directory(path_) ? "it is a directory" : std::strerror(errno)));
  }
}

void JsonReporter::write_fingerprint(JsonWriter& json, const Fingerprint& machine) {
  json.begin_object();
  for (const auto& [name, value] : machine.fields()) json.key(name).value(value);
  json.end_object();
}

void JsonReporter::begin(const RunContext& context) {
  json_.begin_object();
  json_.key("schema_version").value(kCsvSchemaVersion);
  json_.key("run_id").value(context.run_id).key("timestamp").value(context.timestamp);
  json_.key("machine");
  write_fingerprint(json_, context.machine);
  json_.key("configurations").begin_array();
}

void JsonReporter::report(const ConfigResult& result) {
  const RunRecord& first = result.first();
  json_.begin_object();
  json_.key("kernel").value(first.kernel).key("backend").value(first.backend);
  json_.key("schedule").value(first.schedule).key("chunk").value(first.chunk);
  json_.key("ipc")
      .value(first.ipc)
      .key("workers")
      .value(first.workers)
      .key("nodes")
      .value(first.nodes);
  json_.key("size").value(first.size).key("params").value(first.params);
  json_.key("setup_s").value(first.setup_s).key("wall_s");
  write_summary(json_, result.wall);
  json_.key("throughput").value(result.throughput).key("speedup");
  optional_value(json_, result.speedup);
  json_.key("efficiency");
  optional_value(json_, result.efficiency);
  json_.key("speedup_with_setup");
  optional_value(json_, result.speedup_with_setup);
  json_.key("imbalance").value(result.imbalance);
  json_.key("valid").value(result.valid).key("error").value(result.error);
  json_.key("worker_hosts").value(first.worker_hosts);
  json_.key("repetitions").begin_array();
  for (const auto& r : result.reps) {
    json_.begin_object();
    json_.key("rep").value(r.rep).key("wall_s").value(r.wall_s).key("cpu_s").value(r.cpu_s);
    json_.key("result").value(r.result).key("value").value(r.value).key("valid").value(r.valid);
    json_.key("error").value(r.error).key("worker_busy_s").begin_array();
    for (const auto& w : r.worker_reports) json_.value(w.busy_s);
    json_.end_array().end_object();
  }
  json_.end_array().end_object();
}

void JsonReporter::end() {
  json_.end_array().end_object();
  const std::string tmp = path_ + ".tmp-" + std::to_string(::getpid());
  ipc::register_path(tmp, ipc::PathKind::kFile);
  {
    std::ofstream out(tmp);
    out << json_.str();
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path_.c_str()) != 0) {
    std::remove(tmp.c_str());
    ipc::unregister_path(tmp);
    throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
  }
  ipc::unregister_path(tmp);
}

}  // namespace parbench
