// The CSV schema, defined once: every column with how to write it and, for per-run columns, how to
// read it back (the mpi launcher and the tests read rows back). Documented in results/README.md.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "harness/records/record.hpp"

namespace parbench {

// Bump whenever a column is added, removed, renamed or changes meaning.
// 4: the verify columns checks, check_ns and stop_latency_s became the measurements column.
// 9: the columns lost_updates, redelivered and lost_s became measurements of the same names.
inline constexpr int kCsvSchemaVersion = 9;
// The oldest version the reader still reads (by column name: version 2 lacks usable_cpus; version
// 3's verify columns and versions 6 to 8's lost_updates, redelivered and lost_s are read into
// measurements).
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

// What a reader made of one file: the rows parbench could have written, and one line per line it
// left out, "FILE:LINE: why" (the reports print them and go on with the rest).
struct CsvRead {
  std::vector<CsvRow> rows;
  std::vector<std::string> problems;
};

// Reads a file of rows written by the CSV reporter, of this schema version or an older readable
// one, columns found by name. Every header line (a line whose first field is schema_version)
// starts a block with its own columns, so files of several versions concatenated whole read
// together. Left out, each with a problem: a last line without its line break (cut short), a row
// with the wrong number of fields, of another schema version, with a value parbench never writes
// (not a number, nan, inf, a negative time, fewer than 1 worker), and the rows of a block whose
// header lacks a column of their version; a file that does not start with a header is one problem.
// Scripts/analysis/parbench_csv.py applies the same rule with the same words. Throws
// std::runtime_error only when the file cannot be read at all.
CsvRead read_csv_file(const std::string& path);
// The same, for files parbench wrote itself moments ago (the mpi launcher's): throws
// std::runtime_error with the first problem instead of leaving anything out.
std::vector<CsvRow> read_csv_rows(const std::string& path);
// The same, repetitions only.
std::vector<RunRecord> read_csv_records(const std::string& path);

}  // namespace parbench
