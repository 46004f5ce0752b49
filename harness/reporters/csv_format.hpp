// The CSV schema, defined once: every column with how to write it and, for per-run columns, how to
// read it back (the mpi launcher and the tests read rows back). Documented in results/README.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/record.hpp"

namespace parbench {

// Bump whenever a column is added, removed, renamed or changes meaning.
inline constexpr int kCsvSchemaVersion = 2;

std::string csv_header();
// One line, newline included. Fields never contain line breaks: each row is exactly one line.
std::string csv_row(const RunRecord& record, const RunContext& context);
std::string csv_escape(std::string_view field);
std::vector<std::string> csv_split(std::string_view line);

// Reads the per-run columns of every row of a file written by the CSV reporter. Throws on a header
// that does not match this schema.
std::vector<RunRecord> read_csv_records(const std::string& path);

}  // namespace parbench
