// The CSV schema, defined once: every column with how to write it and, for per-run columns, how to
// read it back (the mpi launcher and the tests read rows back). Documented in results/README.md.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "harness/record.hpp"

namespace parbench {

// Bump whenever a column is added, removed, renamed or changes meaning.
// 4: the verify columns checks, check_ns and stop_latency_s became the measurements column.
inline constexpr int kCsvSchemaVersion = 8;
// The oldest version the reader still reads (by column name: version 2 lacks usable_cpus; version
// 3's verify columns are read into measurements).
inline constexpr int kOldestReadableSchema = 2;

// Where a column belongs, for the JSON reporter, which nests what the CSV repeats on every row.
enum class ColumnScope { kRun, kMachine, kConfiguration, kRepetition };
// How a field's text reads as a JSON value. kNumberList: numbers joined by ';'; kMeasurements:
// name=value pairs joined by ';'.
enum class ColumnType { kText, kInteger, kNumber, kBool, kNumberList, kMeasurements };

struct CsvField {
  std::string_view name;
  ColumnScope scope;
  ColumnType type;
  std::string text;  // as the CSV writes it
};

// Every column of one row, in order: the one table the CSV and the JSON reporters both write.
std::vector<CsvField> csv_fields(const RunRecord& record, const RunContext& context);

std::string csv_header();
// One line, newline included. Fields never contain line breaks: each row is exactly one line.
std::string csv_row(const RunRecord& record, const RunContext& context);
std::string csv_escape(std::string_view field);
// "a;b;c" -> {a, b, c}; "" -> {}: the lists inside a field (worker_busy_s, measurements).
std::vector<std::string> split_list(const std::string& text, char sep);
std::vector<std::string> csv_split(std::string_view line);

// A row read back: the repetition, the host it ran on, and the run's and machine's columns as text
// by name (run_id, timestamp, cpu_model, compiler...: not part of a RunRecord).
struct CsvRow {
  RunRecord record;
  std::string host;
  std::map<std::string, std::string> run;
};

// Reads every row of a file written by the CSV reporter (this schema version or an older readable
// one), columns found by name. Throws std::runtime_error naming the file and line on what it
// cannot read: another schema version, a missing column, a row with the wrong number of fields, a
// value that is not a number in a numeric column.
std::vector<CsvRow> read_csv_rows(const std::string& path);
// The same, repetitions only.
std::vector<RunRecord> read_csv_records(const std::string& path);

}  // namespace parbench
