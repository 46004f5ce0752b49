#include "harness/reporters/csv_format.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>

#include "harness/text.hpp"

namespace parbench {
namespace {

using Getter = std::function<std::string(const RunRecord&, const RunContext&)>;
using Setter = std::function<void(RunRecord&, const std::string&)>;

struct Column {
  const char* name;
  Getter get;
  Setter set;  // empty for columns that describe the run or the machine, not the repetition
};

std::string num(double v) { return fmt::format("{:.9g}", v); }

// Strict: the whole field must be the number, or the reader says which field it could not read.
template <typename T>
T parse_number(const std::string& s, const char* what) {
  T value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    throw std::invalid_argument(fmt::format("'{}' is not {}", s, what));
  return value;
}
double to_double(const std::string& s) { return parse_number<double>(s, "a number"); }
std::uint64_t to_u64(const std::string& s) {
  return parse_number<std::uint64_t>(s, "a whole number from 0 to 2^64-1");
}
int to_int(const std::string& s) { return parse_number<int>(s, "a whole number"); }

std::string join_busy(const RunRecord& r) {
  std::vector<std::string> parts;
  for (const auto& w : r.worker_reports) parts.push_back(num(w.busy_s));
  return join(parts, ";");
}
std::string join_items(const RunRecord& r) {
  std::vector<std::string> parts;
  for (const auto& w : r.worker_reports) parts.push_back(std::to_string(w.items));
  return join(parts, ";");
}
// Derived per row, for readers that do not want to recompute them: items per second, and the
// slowest worker's busy time over the mean (1 is perfect balance).
std::string throughput(const RunRecord& r) {
  return r.wall_s > 0 ? num(static_cast<double>(r.size) / r.wall_s) : "";
}
std::string tested_fraction(const RunRecord& r) {
  std::uint64_t done = 0;
  for (const auto& w : r.worker_reports) done += w.items;
  return r.size > 0 ? num(static_cast<double>(done) / static_cast<double>(r.size)) : "";
}
std::string imbalance(const RunRecord& r) {
  double busiest = 0.0;
  double total = 0.0;
  for (const auto& w : r.worker_reports) {
    busiest = std::max(busiest, w.busy_s);
    total += w.busy_s;
  }
  return total > 0 ? num(busiest * static_cast<double>(r.worker_reports.size()) / total) : "";
}

std::vector<std::string> split_on(const std::string& s, char sep) {
  std::vector<std::string> parts;
  if (s.empty()) return parts;
  std::size_t start = 0;
  for (std::size_t pos; (pos = s.find(sep, start)) != std::string::npos; start = pos + 1) {
    parts.push_back(s.substr(start, pos - start));
  }
  parts.push_back(s.substr(start));
  return parts;
}

#define PB_MACHINE(field)                                                                  \
  Column {                                                                                 \
#field, [](const RunRecord&, const RunContext& c) { return c.machine.field; }, nullptr \
  }
#define PB_TEXT(field)                                                                           \
  Column {                                                                                       \
#field, [](const RunRecord& r,                                                               \
               const RunContext&) { return r.field; }, [](RunRecord & r,                         \
                                                          const std::string& v) { r.field = v; } \
  }
#define PB_NUMBER(field, parse)                                                                      \
  Column {                                                                                           \
#field,                                                                                          \
        [](const RunRecord& r,                                                                       \
           const RunContext&) { return fmt::format("{}", r.field); },                                \
                                                                   [](RunRecord & r,                 \
                                                                      const std::string&             \
                                                                          v) { r.field = parse(v); } \
  }
#define PB_SECONDS(field)                                                                         \
  Column {                                                                                        \
#field, [](const RunRecord& r,                                                                \
               const RunContext&) { return num(r.field); }, [](RunRecord & r,                     \
                                                               const std::string&                 \
                                                                   v) { r.field = to_double(v); } \
  }

const std::vector<Column>& columns() {
  static const std::vector<Column> list{
      {"schema_version", [](auto&, auto&) { return std::to_string(kCsvSchemaVersion); }, nullptr},
      {"run_id", [](const RunRecord&, const RunContext& c) { return c.run_id; }, nullptr},
      {"timestamp", [](const RunRecord&, const RunContext& c) { return c.timestamp; }, nullptr},
      PB_MACHINE(host),
      PB_MACHINE(cpu_model),
      {"logical_cpus",
       [](const RunRecord&, const RunContext& c) { return std::to_string(c.machine.logical_cpus); },
       nullptr},
      {"usable_cpus",
       [](const RunRecord&, const RunContext& c) { return std::to_string(c.machine.usable_cpus); },
       nullptr},
      PB_TEXT(kernel),
      PB_TEXT(backend),
      PB_TEXT(ipc),
      PB_TEXT(schedule),
      PB_NUMBER(chunk, to_u64),
      PB_NUMBER(workers, to_int),
      PB_NUMBER(nodes, to_int),
      PB_NUMBER(size, to_u64),
      PB_TEXT(params),
      PB_NUMBER(rep, to_int),
      PB_SECONDS(setup_s),
      PB_SECONDS(wall_s),
      PB_SECONDS(cpu_s),
      PB_NUMBER(result, to_u64),
      {"value",
       [](const RunRecord& r, const RunContext&) { return fmt::format("{:.12g}", r.value); },
       [](RunRecord& r, const std::string& v) { r.value = to_double(v); }},
      {"valid",
       [](const RunRecord& r, const RunContext&) {
         return std::string(r.valid ? "true" : "false");
       },
       [](RunRecord& r, const std::string& v) {
         if (v != "true" && v != "false")
           throw std::invalid_argument(fmt::format("'{}' is not true or false", v));
         r.valid = v == "true";
       }},
      PB_TEXT(error),
      {"items_per_s", [](const RunRecord& r, const RunContext&) { return throughput(r); }, nullptr},
      {"tested_fraction", [](const RunRecord& r, const RunContext&) { return tested_fraction(r); },
       nullptr},
      PB_NUMBER(checks, to_u64),
      PB_SECONDS(check_ns),
      {"stop_latency_s",
       [](const RunRecord& r, const RunContext&) {
         return r.stop_latency_s < 0 ? std::string() : num(r.stop_latency_s);
       },
       [](RunRecord& r, const std::string& v) {
         r.stop_latency_s = v.empty() ? -1.0 : to_double(v);
       }},
      {"imbalance", [](const RunRecord& r, const RunContext&) { return imbalance(r); }, nullptr},
      PB_TEXT(worker_hosts),
      {"worker_busy_s", [](const RunRecord& r, const RunContext&) { return join_busy(r); },
       [](RunRecord& r, const std::string& v) {
         const auto parts = split_on(v, ';');
         r.worker_reports.resize(parts.size());
         for (std::size_t i = 0; i < parts.size(); ++i)
           r.worker_reports[i].busy_s = to_double(parts[i]);
       }},
      {"worker_items", [](const RunRecord& r, const RunContext&) { return join_items(r); },
       [](RunRecord& r, const std::string& v) {
         const auto parts = split_on(v, ';');
         r.worker_reports.resize(parts.size());
         for (std::size_t i = 0; i < parts.size(); ++i)
           r.worker_reports[i].items = to_u64(parts[i]);
       }},
      PB_MACHINE(os),
      PB_MACHINE(os_kernel),
      PB_MACHINE(compiler),
      PB_MACHINE(cxx_flags),
      PB_MACHINE(build_type),
      PB_MACHINE(boost_version),
      PB_MACHINE(tbb_version),
      PB_MACHINE(mpi_version),
      PB_MACHINE(hiredis_version),
      PB_MACHINE(parbench_version),
  };
  return list;
}

}  // namespace

std::string csv_escape(std::string_view field) {
  std::string clean(field);
  for (char& c : clean) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (clean.find_first_of(",\"") == std::string::npos) return clean;
  std::string out = "\"";
  for (const char c : clean) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::vector<std::string> csv_split(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\n' && c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

std::string csv_header() {
  std::vector<std::string> names;
  for (const auto& col : columns()) names.emplace_back(col.name);
  return join(names, ",") + "\n";
}

std::string csv_row(const RunRecord& record, const RunContext& context) {
  std::string line;
  bool first = true;
  for (const auto& col : columns()) {
    if (!first) line += ',';
    first = false;
    line += csv_escape(col.get(record, context));
  }
  return line + "\n";
}

std::vector<CsvRow> read_csv_rows(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> names = csv_split(line);
  if (names.empty() || names[0] != "schema_version")
    throw std::runtime_error(path +
                             ":1: not a parbench CSV (its first column is not schema_version)");
  // Where each column this reader fills stands in the file's header.
  std::vector<std::pair<const Column*, std::size_t>> wanted;
  std::optional<std::size_t> host_at;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "host") host_at = i;
    for (const auto& col : columns()) {
      if (col.set && names[i] == col.name) wanted.emplace_back(&col, i);
    }
  }
  std::vector<CsvRow> rows;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto where = [&](const std::string& what) {
      return std::runtime_error(fmt::format("{}:{}: {}", path, number, what));
    };
    const auto fields = csv_split(line);
    if (fields.size() != names.size())
      throw where(fmt::format("{} fields, the header has {}", fields.size(), names.size()));
    int version = 0;
    try {
      version = to_int(fields[0]);
    } catch (const std::invalid_argument&) {
      version = -1;
    }
    if (version < kOldestReadableSchema || version > kCsvSchemaVersion) {
      throw where(fmt::format("schema version {}; this parbench reads versions {} to {}", fields[0],
                              kOldestReadableSchema, kCsvSchemaVersion));
    }
    CsvRow row;
    for (const auto& [col, i] : wanted) {
      try {
        col->set(row.record, fields[i]);
      } catch (const std::invalid_argument& e) {
        throw where(fmt::format("column {}: {}", col->name, e.what()));
      }
    }
    if (host_at) row.host = fields[*host_at];
    rows.push_back(std::move(row));
  }
  // Checked after the rows so that an old version is named as such rather than as a missing column.
  for (const auto& col : columns()) {
    if (!col.set) continue;
    if (std::none_of(wanted.begin(), wanted.end(), [&](const auto& w) { return w.first == &col; }))
      throw std::runtime_error(fmt::format("{}:1: the header has no column {}", path, col.name));
  }
  return rows;
}

std::vector<RunRecord> read_csv_records(const std::string& path) {
  std::vector<RunRecord> records;
  for (auto& row : read_csv_rows(path)) records.push_back(std::move(row.record));
  return records;
}

}  // namespace parbench
