#include "harness/records/csv_format.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <type_traits>

namespace parbench {
namespace {

using Getter = std::function<std::string(const RunRecord&, const RunContext&)>;
using Setter = std::function<void(RunRecord&, const std::string&)>;

struct Column {
  const char* name;
  ColumnScope scope;
  ColumnType type;
  Getter get;
  Setter set;  // empty for columns that describe the run or the machine, or are derived
  int since = kOldestReadableSchema;  // the first schema version with the column
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
// What parbench writes is never nan or inf: such a value would turn every median it joins into one.
double to_finite(const std::string& s) {
  const double v = to_double(s);
  if (!std::isfinite(v)) throw std::invalid_argument(fmt::format("'{}' is not a finite number", s));
  return v;
}
// A duration parbench measured: finite and never negative.
double to_seconds(const std::string& s) {
  const double v = to_double(s);
  if (!std::isfinite(v) || v < 0)
    throw std::invalid_argument(fmt::format("'{}' is not a time (finite seconds, 0 or more)", s));
  return v;
}
std::uint64_t to_u64(const std::string& s) {
  return parse_number<std::uint64_t>(s, "a whole number from 0 to 2^64-1");
}
int to_int(const std::string& s) { return parse_number<int>(s, "a whole number"); }
// Counts with a floor: workers, threads per rank and nodes are 1 or more, rep and round 0 or more.
int to_int_from(const std::string& s, int least) {
  const std::string what = fmt::format("a whole number of {} or more", least);
  const int v = parse_number<int>(s, what.c_str());
  if (v < least) throw std::invalid_argument(fmt::format("'{}' is not {}", s, what));
  return v;
}

std::string join_busy(const RunRecord& r) {
  std::vector<double> busy;
  for (const auto& w : r.worker_reports) busy.push_back(w.busy_s);
  return fmt::format("{:.9g}", fmt::join(busy, ";"));
}
std::string join_items(const RunRecord& r) {
  std::vector<std::uint64_t> items;
  for (const auto& w : r.worker_reports) items.push_back(w.items);
  return fmt::format("{}", fmt::join(items, ";"));
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
std::string imbalance_text(const RunRecord& r) {
  const auto i = imbalance(r.worker_reports);
  return i ? num(*i) : "";
}
// "checks=1200;check_ns=4.1": what the kernel and its mechanism measured, in one column, so that
// CSVs of every kernel share one header.
std::string join_measurements(const RunRecord& r) {
  std::vector<std::string> parts;
  for (const auto& m : r.measurements) {
    // Counts whole to the last digit (a lost_updates of 1234567890 is not 1.23456789e+09), up to
    // where a double stops holding every integer; below 10^9 the same text as num's.
    const bool whole = m.value == std::floor(m.value) && std::fabs(m.value) < 0x1p53;
    parts.push_back(
        fmt::format("{}={}", m.name, whole ? fmt::format("{:.0f}", m.value) : num(m.value)));
  }
  return fmt::format("{}", fmt::join(parts, ";"));
}

std::vector<Measurement> split_measurements(const std::string& text) {
  std::vector<Measurement> list;
  for (const auto& part : split_list(text, ';')) {
    const auto eq = part.find('=');
    if (eq == std::string::npos || eq == 0)
      throw std::invalid_argument(fmt::format("'{}' is not name=value", part));
    // Counts, times and rates: never nan, inf or negative (scripts/analysis/parbench_csv.py too).
    const std::string value = part.substr(eq + 1);
    const double v = to_double(value);
    if (!std::isfinite(v) || v < 0) {
      throw std::invalid_argument(
          fmt::format("'{}' is not a measurement (a finite number, 0 or more)", value));
    }
    list.push_back({part.substr(0, eq), v});
  }
  return list;
}

// Columns of older schemas that the reader still understands, each read into the measurement of
// its name on the rows of versions `since` to `until - 1`: version 3's fixed verify columns became
// measurements in version 4; lost_updates (6), redelivered and lost_s (8) in version 9.
struct LegacyColumn {
  const char* name;
  Setter set;
  int since;
  int until;  // the first version without it
};
// Version 3 wrote checks and check_ns on every verify row, 0 where no flag was looked at.
LegacyColumn flag_measurement(const char* name) {
  return {name,
          [name](RunRecord& r, const std::string& v) {
            if (r.ipc != "none" && r.ipc != "serial-first")
              r.measurements.push_back({name, to_double(v)});
          },
          kOldestReadableSchema, 4};
}
// Empty where the row had none (no counter, another backend); `check` as the column was read.
LegacyColumn optional_measurement(const char* name, double (*check)(const std::string&), int since,
                                  int until) {
  return {name,
          [name, check](RunRecord& r, const std::string& v) {
            if (!v.empty()) r.measurements.push_back({name, check(v)});
          },
          since, until};
}
double to_count(const std::string& s) { return static_cast<double>(to_u64(s)); }

const std::vector<LegacyColumn>& legacy_columns() {
  static const std::vector<LegacyColumn> list{
      flag_measurement("checks"),
      flag_measurement("check_ns"),
      optional_measurement("stop_latency_s", to_double, kOldestReadableSchema, 4),
      optional_measurement("lost_updates", to_count, 6, 9),
      optional_measurement("redelivered", to_count, 8, 9),
      optional_measurement("lost_s", to_seconds, 8, 9),
  };
  return list;
}

// Builders for the common kinds of column, by pointer to the field they carry.
Column machine(const char* name, std::string Fingerprint::*field) {
  return {name, ColumnScope::kMachine, ColumnType::kText,
          [field](const RunRecord&, const RunContext& c) { return c.machine.*field; }, nullptr};
}
Column machine_count(const char* name, int Fingerprint::*field) {
  return {
      name, ColumnScope::kMachine, ColumnType::kInteger,
      [field](const RunRecord&, const RunContext& c) { return std::to_string(c.machine.*field); },
      nullptr};
}
// A calibration figure: empty where none was measured.
Column machine_number(const char* name, double Fingerprint::*field) {
  return {name, ColumnScope::kMachine, ColumnType::kNumber,
          [field](const RunRecord&, const RunContext& c) {
            return c.machine.*field > 0.0 ? num(c.machine.*field) : std::string();
          },
          nullptr};
}
Column text(const char* name, std::string RunRecord::*field, ColumnScope scope) {
  return {name, scope, ColumnType::kText,
          [field](const RunRecord& r, const RunContext&) { return r.*field; },
          [field](RunRecord& r, const std::string& v) { r.*field = v; }};
}
// `least`: the smallest value an int column can have (ignored for unsigned ones).
template <typename T>
Column whole(const char* name, T RunRecord::*field, ColumnScope scope, int least = 0) {
  return {name, scope, ColumnType::kInteger,
          [field](const RunRecord& r, const RunContext&) { return std::to_string(r.*field); },
          [field, least](RunRecord& r, const std::string& v) {
            if constexpr (std::is_same_v<T, int>) {
              r.*field = to_int_from(v, least);
            } else {
              r.*field = to_u64(v);
            }
          }};
}
Column seconds(const char* name, double RunRecord::*field, ColumnScope scope) {
  return {name, scope, ColumnType::kNumber,
          [field](const RunRecord& r, const RunContext&) { return num(r.*field); },
          [field](RunRecord& r, const std::string& v) { r.*field = to_seconds(v); }};
}
Column with_since(Column column, int version) {
  column.since = version;
  return column;
}
// Derived from other columns: written, never read back.
Column derived(const char* name, ColumnType type, std::string (*get)(const RunRecord&)) {
  return {name, ColumnScope::kRepetition, type,
          [get](const RunRecord& r, const RunContext&) { return get(r); }, nullptr};
}

const std::vector<Column>& columns() {
  using S = ColumnScope;
  using T = ColumnType;
  static const std::vector<Column> list{
      {"schema_version", S::kRun, T::kInteger,
       [](auto&, auto&) { return std::to_string(kCsvSchemaVersion); }, nullptr},
      {"run_id", S::kRun, T::kText, [](const RunRecord&, const RunContext& c) { return c.run_id; },
       nullptr},
      {"timestamp", S::kRun, T::kText,
       [](const RunRecord&, const RunContext& c) { return c.timestamp; }, nullptr},
      machine("host", &Fingerprint::host),
      machine("cpu_model", &Fingerprint::cpu_model),
      machine_count("logical_cpus", &Fingerprint::logical_cpus),
      machine_count("usable_cpus", &Fingerprint::usable_cpus),
      text("kernel", &RunRecord::kernel, S::kConfiguration),
      text("backend", &RunRecord::backend, S::kConfiguration),
      text("ipc", &RunRecord::ipc, S::kConfiguration),
      text("schedule", &RunRecord::schedule, S::kConfiguration),
      whole("chunk", &RunRecord::chunk, S::kConfiguration),
      whole("workers", &RunRecord::workers, S::kConfiguration, 1),
      with_since(whole("threads_per_rank", &RunRecord::threads_per_rank, S::kConfiguration, 1), 5),
      whole("nodes", &RunRecord::nodes, S::kConfiguration, 1),
      whole("size", &RunRecord::size, S::kConfiguration),
      text("params", &RunRecord::params, S::kConfiguration),
      whole("rep", &RunRecord::rep, S::kRepetition),
      with_since(whole("round", &RunRecord::round, S::kRepetition), 7),
      seconds("setup_s", &RunRecord::setup_s, S::kConfiguration),
      seconds("wall_s", &RunRecord::wall_s, S::kRepetition),
      seconds("cpu_s", &RunRecord::cpu_s, S::kRepetition),
      whole("result", &RunRecord::result, S::kRepetition),
      {"value", S::kRepetition, T::kNumber,
       [](const RunRecord& r, const RunContext&) { return fmt::format("{:.12g}", r.value); },
       [](RunRecord& r, const std::string& v) { r.value = to_finite(v); }},
      {"valid", S::kRepetition, T::kBool,
       [](const RunRecord& r, const RunContext&) {
         return std::string(r.valid ? "true" : "false");
       },
       [](RunRecord& r, const std::string& v) {
         if (v != "true" && v != "false")
           throw std::invalid_argument(fmt::format("'{}' is not true or false", v));
         r.valid = v == "true";
       }},
      text("error", &RunRecord::error, S::kRepetition),
      derived("items_per_s", T::kNumber, throughput),
      derived("tested_fraction", T::kNumber, tested_fraction),
      {"measurements", S::kRepetition, T::kMeasurements,
       [](const RunRecord& r, const RunContext&) { return join_measurements(r); },
       [](RunRecord& r, const std::string& v) { r.measurements = split_measurements(v); }, 4},
      derived("imbalance", T::kNumber, imbalance_text),
      text("worker_hosts", &RunRecord::worker_hosts, S::kConfiguration),
      with_since(text("worker_cpus", &RunRecord::worker_cpus, S::kConfiguration), 5),
      {"worker_busy_s", S::kRepetition, T::kNumberList,
       [](const RunRecord& r, const RunContext&) { return join_busy(r); },
       [](RunRecord& r, const std::string& v) {
         const auto parts = split_list(v, ';');
         r.worker_reports.resize(parts.size());
         for (std::size_t i = 0; i < parts.size(); ++i)
           r.worker_reports[i].busy_s = to_seconds(parts[i]);
       }},
      {"worker_items", S::kRepetition, T::kNumberList,
       [](const RunRecord& r, const RunContext&) { return join_items(r); },
       [](RunRecord& r, const std::string& v) {
         const auto parts = split_list(v, ';');
         r.worker_reports.resize(parts.size());
         for (std::size_t i = 0; i < parts.size(); ++i)
           r.worker_reports[i].items = to_u64(parts[i]);
       }},
      machine("os", &Fingerprint::os),
      machine("os_kernel", &Fingerprint::os_kernel),
      machine("compiler", &Fingerprint::compiler),
      machine("cxx_flags", &Fingerprint::cxx_flags),
      machine("build_type", &Fingerprint::build_type),
      machine("boost_version", &Fingerprint::boost_version),
      machine("tbb_version", &Fingerprint::tbb_version),
      machine("mpi_version", &Fingerprint::mpi_version),
      machine("hiredis_version", &Fingerprint::hiredis_version),
      machine("parbench_version", &Fingerprint::parbench_version),
      machine("build_dirty", &Fingerprint::build_dirty),
      machine_number("calib_cpu_ns", &Fingerprint::calib_cpu_ns),
      machine_number("calib_copy_gbs", &Fingerprint::calib_copy_gbs),
      machine_number("calib_wake_us", &Fingerprint::calib_wake_us),
  };
  return list;
}

}  // namespace

std::vector<std::string> split_list(const std::string& text, char sep) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  std::size_t start = 0;
  for (std::size_t at; (at = text.find(sep, start)) != std::string::npos; start = at + 1)
    parts.push_back(text.substr(start, at - start));
  parts.push_back(text.substr(start));
  return parts;
}

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
  return fmt::format("{}\n", fmt::join(names, ","));
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

std::vector<CsvField> csv_fields(const RunRecord& record, const RunContext& context) {
  std::vector<CsvField> fields;
  for (const auto& col : columns())
    fields.push_back({col.name, col.scope, col.type, col.get(record, context)});
  return fields;
}

namespace {

// The rows under one header line: a file is one block, or several when files of different schema
// versions were concatenated whole (`cat`), each keeping its header.
struct Block {
  int line = 0;  // of the header
  std::size_t fields = 0;
  std::vector<std::pair<const Column*, std::size_t>> wanted;  // column and its place in the header
  std::vector<std::pair<const LegacyColumn*, std::size_t>> legacy;  // read after the others
  std::optional<std::size_t> host_at;
  std::vector<std::pair<std::string, std::size_t>> run_columns;  // the run's and machine's
  std::vector<CsvRow> rows;
  int newest = 0;  // the newest schema version among the rows
};

bool is_header(const std::vector<std::string>& fields) { return fields[0] == "schema_version"; }

Block block_of(const std::vector<std::string>& names, int line) {
  Block block;
  block.line = line;
  block.fields = names.size();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "host") block.host_at = i;
    for (const auto& col : columns()) {
      if (names[i] == col.name &&
          (col.scope == ColumnScope::kRun || col.scope == ColumnScope::kMachine))
        block.run_columns.emplace_back(col.name, i);
    }
    for (const auto& col : columns()) {
      if (col.set && names[i] == col.name) block.wanted.emplace_back(&col, i);
    }
    for (const auto& col : legacy_columns()) {
      if (names[i] == col.name) block.legacy.emplace_back(&col, i);
    }
  }
  return block;
}

// Adds the row of `fields` to the block, or says why no row parbench writes looks like it. The
// first field that fails is named, columns in the header's order.
std::optional<std::string> add_row(Block& block, const std::vector<std::string>& fields) {
  if (fields.size() != block.fields)
    return fmt::format("{} fields, the header has {}", fields.size(), block.fields);
  int version = -1;
  try {
    version = to_int(fields[0]);
  } catch (const std::invalid_argument&) {
  }
  if (version < kOldestReadableSchema || version > kCsvSchemaVersion)
    return fmt::format("schema version {}; this parbench reads versions {} to {}", fields[0],
                       kOldestReadableSchema, kCsvSchemaVersion);
  CsvRow row;
  for (const auto& [col, i] : block.wanted) {
    try {
      col->set(row.record, fields[i]);
    } catch (const std::invalid_argument& e) {
      return fmt::format("column {}: {}", col->name, e.what());
    }
  }
  for (const auto& [col, i] : block.legacy) {
    if (version < col->since || version >= col->until) continue;
    try {
      col->set(row.record, fields[i]);
    } catch (const std::invalid_argument& e) {
      return fmt::format("column {}: {}", col->name, e.what());
    }
  }
  // A valid repetition took time: a wall_s of 0 would make an infinite throughput and speed-up.
  if (row.record.valid && row.record.rep > 0 && !(row.record.wall_s > 0))
    return std::string("column wall_s: a valid repetition that took no time");
  if (block.host_at) row.host = fields[*block.host_at];
  for (const auto& [name, i] : block.run_columns) row.run[name] = fields[i];
  block.newest = std::max(block.newest, version);
  block.rows.push_back(std::move(row));
  return std::nullopt;
}

// The block's rows, unless its header lacks a column their schema version has: then one problem,
// on the header's line, for all of them. Checked after the rows so that an old version is named as
// such rather than as a missing column.
void close_block(Block& block, std::vector<CsvRow>& rows,
                 std::vector<std::pair<int, std::string>>& problems) {
  if (block.rows.empty()) return;
  const auto lacks = [&](const char* name) {
    problems.emplace_back(block.line, fmt::format("the header has no column {} (its {} rows "
                                                  "left out)",
                                                  name, block.rows.size()));
  };
  for (const auto& col : columns()) {
    if (!col.set || col.since > block.newest) continue;
    if (std::none_of(block.wanted.begin(), block.wanted.end(),
                     [&](const auto& w) { return w.first == &col; }))
      return lacks(col.name);
  }
  // The columns that later became measurements, for a block of the versions that wrote them (not
  // version 3's verify columns: the reader never asked for those, so it does not start now).
  for (const auto& col : legacy_columns()) {
    if (col.until <= 4 || col.since > block.newest || col.until <= block.newest) continue;
    if (std::none_of(block.legacy.begin(), block.legacy.end(),
                     [&](const auto& l) { return l.first == &col; }))
      return lacks(col.name);
  }
  for (auto& row : block.rows) rows.push_back(std::move(row));
}

}  // namespace

CsvRead read_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw std::runtime_error("cannot read " + path);
  CsvRead read;
  std::vector<std::pair<int, std::string>> problems;  // line and why
  std::optional<Block> block;
  int number = 0;
  for (std::size_t start = 0; start < text.size();) {
    ++number;
    const std::size_t end = text.find('\n', start);
    std::string_view line(text.data() + start,
                          (end == std::string::npos ? text.size() : end) - start);
    start = end == std::string::npos ? text.size() : end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (end == std::string::npos) {
      // parbench ends every line it writes: a run still writing, or a copy cut off.
      problems.emplace_back(number, "cut short: the file ends inside this line");
      break;
    }
    const auto fields = csv_split(line);
    if (is_header(fields)) {
      if (block) close_block(*block, read.rows, problems);
      block = block_of(fields, number);
    } else if (!block) {
      problems.emplace_back(number, "not a parbench CSV (its first column is not schema_version)");
      break;  // one line for a whole file of something else
    } else if (line.empty()) {
      continue;
    } else if (auto why = add_row(*block, fields)) {
      problems.emplace_back(number, std::move(*why));
    }
  }
  if (text.empty()) problems.emplace_back(1, "empty: not even a header line");
  if (block) close_block(*block, read.rows, problems);
  std::stable_sort(problems.begin(), problems.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [line, why] : problems)
    read.problems.push_back(fmt::format("{}:{}: {}", path, line, why));
  return read;
}

std::vector<CsvRow> read_csv_rows(const std::string& path) {
  CsvRead read = read_csv_file(path);
  if (!read.problems.empty()) throw std::runtime_error(read.problems.front());
  return std::move(read.rows);
}
std::vector<RunRecord> read_csv_records(const std::string& path) {
  std::vector<RunRecord> records;
  for (auto& row : read_csv_rows(path)) records.push_back(std::move(row.record));
  return records;
}

}  // namespace parbench
