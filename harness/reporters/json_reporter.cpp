#include "harness/reporters/json_reporter.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "harness/records/csv_format.hpp"
#include "harness/records/errors.hpp"
#include "ipc/cleanup.hpp"
#include "ipc/temp_dir.hpp"

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

// A CSV field as a typed JSON value: the CSV's column table decides what the JSON holds.
void write_field(JsonWriter& json, const CsvField& field) {
  const std::string& t = field.text;
  switch (field.type) {
    case ColumnType::kText:
      json.value(t);
      return;
    case ColumnType::kInteger:
      if (t.empty()) {
        json.null();
      } else {
        json.value(static_cast<std::uint64_t>(std::strtoull(t.c_str(), nullptr, 10)));
      }
      return;
    case ColumnType::kNumber:
      if (t.empty()) {
        json.null();
      } else {
        json.value(std::strtod(t.c_str(), nullptr));
      }
      return;
    case ColumnType::kBool:
      json.value(t == "true");
      return;
    case ColumnType::kNumberList:
      json.begin_array();
      for (const auto& part : split_list(t, ';')) json.value(std::strtod(part.c_str(), nullptr));
      json.end_array();
      return;
    case ColumnType::kMeasurements:
      json.begin_object();
      for (const auto& part : split_list(t, ';')) {
        const auto eq = part.find('=');
        json.key(part.substr(0, eq)).value(std::strtod(part.c_str() + eq + 1, nullptr));
      }
      json.end_object();
      return;
  }
}

void write_fields(JsonWriter& json, const std::vector<CsvField>& fields, ColumnScope scope) {
  for (const auto& field : fields) {
    if (field.scope != scope) continue;
    json.key(field.name);
    write_field(json, field);
  }
}

void write_configuration(JsonWriter& json, const ConfigResult& result, const RunContext& context) {
  json.begin_object();
  write_fields(json, csv_fields(result.first(), context), ColumnScope::kConfiguration);
  json.key("wall_s");
  write_summary(json, result.wall);
  json.key("throughput").value(result.throughput).key("speedup");
  optional_value(json, result.speedup);
  json.key("efficiency");
  optional_value(json, result.efficiency);
  json.key("speedup_with_setup");
  optional_value(json, result.speedup_with_setup);
  json.key("imbalance").value(result.imbalance);
  json.key("valid").value(result.valid).key("error").value(result.error);
  json.key("repetitions").begin_array();
  for (const auto& r : result.reps) {
    json.begin_object();
    write_fields(json, csv_fields(r, context), ColumnScope::kRepetition);
    json.end_object();
  }
  json.end_array().end_object();
}

// Staging files sit beside the target, in a directory others may write: each is made exclusively
// (mkstemp: never through a link) under a name nobody can guess, ".NAME.parbench-PID-HOST-XXXXXX".
// The pid and host let a later run tell the leftovers of a parbench killed outright.
std::string staging_prefix(const std::filesystem::path& target) {
  return fmt::format(".{}.parbench-", target.filename().string());
}

// Returns the new file's name; `fd` is open for writing it.
std::string make_staging_file(const std::string& target, int& fd) {
  const std::filesystem::path p(target);
  std::string pattern = (p.parent_path() / fmt::format("{}{}-{}-XXXXXX", staging_prefix(p),
                                                       ::getpid(), ipc::this_host()))
                            .string();
  fd = ::mkstemp(pattern.data());
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "staging " + target);
  ::fchmod(fd, 0644);  // what a plain write would have created, not mkstemp's 0600
  return pattern;
}

// Removes the staging files that a parbench killed outright (kill -9) left beside `target`: this
// user's plain files whose process is gone from this host.
void remove_stale_staging(const std::string& target) {
  namespace fs = std::filesystem;
  const fs::path p(target);
  const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
  const std::string prefix = staging_prefix(p);
  const std::string host = ipc::this_host();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    pid_t pid = 0;
    const char* rest = name.c_str() + prefix.size();
    const auto [end, err] = std::from_chars(rest, name.c_str() + name.size(), pid);
    // What follows the pid: "-HOST-XXXXXX".
    const std::string_view tail(end, static_cast<std::size_t>(name.c_str() + name.size() - end));
    if (err != std::errc() || pid <= 0 || tail.size() != host.size() + 8 ||
        tail.substr(1, host.size()) != host)
      continue;
    struct stat st {};
    if (::lstat(entry.path().c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid())
      continue;
    if (ipc::process_gone(pid)) ::unlink(entry.path().c_str());
  }
}

}  // namespace

JsonReporter::JsonReporter(OutputTarget target) : target_(std::move(target)) {
  if (target_.kind == OutputTarget::Kind::kFile) {
    remove_stale_staging(target_.path);
    probe_new_file(target_);  // the staging file itself waits for the first configuration
  } else if (target_.kind == OutputTarget::Kind::kStream &&
             ::access(target_.path.c_str(), W_OK) != 0) {
    throw UsageError(
        fmt::format("cannot write JSON file {}: {}", target_.given, std::strerror(errno)));
  }
}

JsonReporter::~JsonReporter() {
  if (staged_.empty() || ended_) return;
  // The run failed before its end: keep the configurations that finished, as the CSV does.
  ipc::unregister_path(staged_);
  if (std::rename(staged_.c_str(), target_.path.c_str()) != 0) std::remove(staged_.c_str());
}

void JsonReporter::write_fingerprint(JsonWriter& json, const Fingerprint& machine) {
  json.begin_object();
  for (const auto& [name, value] : machine.fields()) json.key(name).value(value);
  json.end_object();
}

std::string JsonReporter::document(bool complete) const {
  JsonWriter json;
  json.begin_object();
  write_fields(json, csv_fields(RunRecord{}, context_), ColumnScope::kRun);
  // false: the run was interrupted or failed after the configurations listed.
  json.key("complete").value(complete);
  json.key("machine");
  write_fingerprint(json, context_.machine);
  json.key("configurations").begin_array();
  for (const auto& result : results_) write_configuration(json, result, context_);
  json.end_array().end_object();
  return json.str();
}

void JsonReporter::begin(const RunContext& context) { context_ = context; }

void JsonReporter::report(const ConfigResult& result) {
  results_.push_back(result);
  if (target_.kind == OutputTarget::Kind::kFile) stage(document(false));
}

// Each document goes into a fresh staging file, renamed over the previous one, so that an interrupt
// always finds a whole document; from the first one on, an interrupt renames it over the target.
void JsonReporter::stage(const std::string& text) {
  int fd = -1;
  const std::string next = make_staging_file(target_.path, fd);
  ipc::register_path(next, ipc::PathKind::kFile);
  try {
    write_all(fd, text, next);
    ::close(fd);
    fd = -1;
    if (!staged_.empty() && std::rename(next.c_str(), staged_.c_str()) != 0)
      throw std::system_error(errno, std::generic_category(), "renaming " + next);
  } catch (...) {
    if (fd >= 0) ::close(fd);
    std::remove(next.c_str());
    ipc::unregister_path(next);
    throw;
  }
  ipc::unregister_path(next);
  if (staged_.empty()) {
    staged_ = next;
    ipc::register_commit(staged_, target_.path);
  }
}

void JsonReporter::end() {
  ended_ = target_.kind != OutputTarget::Kind::kFile;  // a file is done once renamed
  const std::string text = document(true);
  switch (target_.kind) {
    case OutputTarget::Kind::kStdout:
      std::fflush(stdout);
      write_all(STDOUT_FILENO, text, "JSON to standard output");
      return;
    case OutputTarget::Kind::kStream: {
      const int fd = ::open(target_.path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
      if (fd < 0)
        throw std::system_error(errno, std::generic_category(), "opening " + target_.given);
      write_all(fd, text, target_.given);
      ::close(fd);
      return;
    }
    case OutputTarget::Kind::kFile: {
      stage(text);
      ended_ = true;
      const bool renamed = std::rename(staged_.c_str(), target_.path.c_str()) == 0;
      const int err = errno;
      ipc::unregister_path(staged_);
      if (!renamed) {
        std::remove(staged_.c_str());
        throw std::system_error(err, std::generic_category(), "cannot write " + target_.given);
      }
      return;
    }
  }
}

}  // namespace parbench
