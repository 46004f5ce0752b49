#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "harness/records/csv_format.hpp"
#include "harness/records/errors.hpp"
#include "harness/reporters/csv_reporter.hpp"

namespace {

using namespace parbench;

RunRecord sample_record(int rep) {
  RunRecord r;
  r.kernel = "pi";
  r.backend = "processes";
  r.workers = 2;
  r.size = 1000007;
  r.params = "seed=1";
  r.rep = rep;
  r.setup_s = 0.00042;
  r.wall_s = 0.25;
  r.cpu_s = 0.5;
  r.result = 785187;
  r.value = 3.14159;
  r.valid = false;
  r.error = "worker 1 (pid 42) was killed by signal 9 (Killed), \"quoted\"\nsecond line";
  r.worker_hosts = "node1*2";
  r.worker_reports = {{0.24, 500004}, {0.25, 500003}};
  return r;
}

RunContext sample_context() {
  RunContext c;
  c.run_id = "abc";
  c.timestamp = "2026-11-25T00:00:00Z";
  c.machine.host = "host, with comma";
  c.machine.cpu_model = "AMD \"EPYC\"";
  return c;
}

std::string temp_path() { return "/tmp/parbench-csv-test-" + std::to_string(getpid()) + ".csv"; }

TEST(CsvFormat, EscapeAndSplitRoundTrip) {
  const std::vector<std::string> fields{"plain", "with,comma", "with \"quotes\"", "",
                                        "both, \"x\""};
  std::vector<std::string> escaped;
  for (const auto& f : fields) escaped.push_back(csv_escape(f));
  EXPECT_EQ(csv_split(fmt::format("{}", fmt::join(escaped, ","))), fields);
}

TEST(CsvFormat, HeaderStartsWithTheSchemaVersionAndHasTheRequiredColumns) {
  const std::string header = csv_header();
  EXPECT_EQ(header.rfind(
                "schema_version,run_id,timestamp,host,cpu_model,logical_cpus,usable_cpus,kernel,"
                "backend,ipc,"
                "schedule,chunk,"
                "workers,threads_per_rank,nodes,size,params,rep,round,setup_s,wall_s,cpu_s,result,"
                "value,valid,error,items_per_s",
                0),
            0u);
  for (const char* col : {"compiler", "cxx_flags", "build_type", "tbb_version", "mpi_version",
                          "build_dirty", "calib_cpu_ns", "calib_copy_gbs", "calib_wake_us"}) {
    EXPECT_NE(header.find(col), std::string::npos) << col;
  }
}

TEST(CsvReporter, RoundTripThroughAFile) {
  const std::string path = temp_path();
  std::remove(path.c_str());
  {
    CsvReporter reporter(path);
    reporter.begin(sample_context());
    ConfigResult result;
    result.reps = {sample_record(1), sample_record(2)};
    reporter.report(result);
  }
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header + "\n", csv_header());
  std::string row;
  std::getline(in, row);
  EXPECT_EQ(row.rfind(std::to_string(kCsvSchemaVersion) + ",abc,", 0), 0u);
  EXPECT_NE(row.find("\"host, with comma\""), std::string::npos);

  const auto records = read_csv_records(path);
  ASSERT_EQ(records.size(), 2u);
  const RunRecord& r = records[1];
  const RunRecord expected = sample_record(2);
  EXPECT_EQ(r.rep, 2);
  EXPECT_EQ(r.kernel, expected.kernel);
  EXPECT_EQ(r.backend, expected.backend);
  EXPECT_EQ(r.workers, expected.workers);
  EXPECT_EQ(r.size, expected.size);
  EXPECT_EQ(r.result, expected.result);
  EXPECT_DOUBLE_EQ(r.wall_s, expected.wall_s);
  EXPECT_DOUBLE_EQ(r.setup_s, expected.setup_s);
  EXPECT_FALSE(r.valid);
  EXPECT_EQ(r.error, "worker 1 (pid 42) was killed by signal 9 (Killed), \"quoted\" second line");
  EXPECT_EQ(r.worker_hosts, "node1*2");
  ASSERT_EQ(r.worker_reports.size(), 2u);
  EXPECT_EQ(r.worker_reports[1].items, 500003u);
  EXPECT_DOUBLE_EQ(r.worker_reports[0].busy_s, 0.24);
  std::remove(path.c_str());
}

TEST(CsvReporter, AppendsWithoutASecondHeader) {
  const std::string path = temp_path();
  std::remove(path.c_str());
  for (int i = 0; i < 2; ++i) {
    CsvReporter reporter(path);
    reporter.begin(sample_context());
    ConfigResult result;
    result.reps = {sample_record(1)};
    reporter.report(result);
  }
  EXPECT_EQ(read_csv_records(path).size(), 2u);
  std::remove(path.c_str());
}

TEST(CsvReporter, RefusesAFileWithAnotherSchema) {
  const std::string path = temp_path();
  {
    std::ofstream out(path);
    out << "schema_version,something_else\n0,1\n";
  }
  EXPECT_THROW(CsvReporter reporter(path), UsageError);
  std::remove(path.c_str());
}

// A file made of the header and `rows`, each a line of this schema.
std::string write_csv(const std::string& header, const std::vector<std::string>& rows,
                      bool last_newline = true) {
  const std::string path = temp_path();
  std::ofstream out(path);
  out << header;
  for (std::size_t i = 0; i < rows.size(); ++i)
    out << rows[i] << (i + 1 < rows.size() || last_newline ? "\n" : "");
  return path;
}

// `line` with field `index` replaced.
std::string with_field(const std::string& line, std::size_t index, const std::string& value) {
  auto fields = csv_split(line);
  fields[index] = value;
  std::vector<std::string> escaped;
  for (const auto& f : fields) escaped.push_back(csv_escape(f));
  return fmt::format("{}", fmt::join(escaped, ","));
}

std::size_t column_index(const std::string& name) {
  const auto names = csv_split(csv_header());
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

std::string read_error(const std::string& path) {
  try {
    read_csv_records(path);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(CsvReader, NamesTheFileLineAndColumnOfAValueThatIsNotANumber) {
  const std::string row = csv_row(sample_record(1), sample_context());
  const std::string bad = with_field(row.substr(0, row.size() - 1), column_index("wall_s"), "fast");
  const std::string path = write_csv(csv_header(), {row.substr(0, row.size() - 1), bad});
  EXPECT_EQ(read_error(path), path + ":3: column wall_s: 'fast' is not a number");
  std::remove(path.c_str());
}

TEST(CsvReader, RefusesASchemaVersionItDoesNotKnow) {
  const std::string row = csv_row(sample_record(1), sample_context());
  const std::string path =
      write_csv(csv_header(), {with_field(row.substr(0, row.size() - 1), 0, "10")});
  EXPECT_NE(read_error(path).find(path + ":2: schema version 10"), std::string::npos)
      << read_error(path);
  std::remove(path.c_str());
}

TEST(CsvReader, ReadsVersion2FilesByColumnName) {
  // Version 2 is version 3 without usable_cpus.
  auto names = csv_split(csv_header());
  const std::size_t usable = column_index("usable_cpus");
  names.erase(names.begin() + static_cast<std::ptrdiff_t>(usable));
  const std::string row = csv_row(sample_record(4), sample_context());
  auto fields = csv_split(row);
  fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(usable));
  fields[0] = "2";
  std::vector<std::string> escaped;
  for (const auto& f : fields) escaped.push_back(csv_escape(f));
  const std::string path = write_csv(fmt::format("{}", fmt::join(names, ",")) + "\n",
                                     {fmt::format("{}", fmt::join(escaped, ","))});
  const auto rows = read_csv_rows(path);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].record.rep, 4);
  EXPECT_EQ(rows[0].host, "host, with comma");
  std::remove(path.c_str());
}

TEST(CsvReader, LeavesOutWhatParbenchCannotHaveWrittenAndSaysWhereAndWhy) {
  std::string row = csv_row(sample_record(1), sample_context());
  row.pop_back();
  const std::string path =
      write_csv(csv_header(),
                {row, with_field(row, column_index("wall_s"), "nan"),
                 with_field(row, column_index("setup_s"), "-1.5"),
                 with_field(row, column_index("workers"), "-2"),
                 with_field(row, column_index("value"), "inf"), row, row.substr(0, 40)},
                false);
  const CsvRead read = read_csv_file(path);
  EXPECT_EQ(read.rows.size(), 2u);
  const std::vector<std::string> expected{
      path + ":3: column wall_s: 'nan' is not a time (finite seconds, 0 or more)",
      path + ":4: column setup_s: '-1.5' is not a time (finite seconds, 0 or more)",
      path + ":5: column workers: '-2' is not a whole number of 1 or more",
      path + ":6: column value: 'inf' is not a finite number",
      path + ":8: cut short: the file ends inside this line"};
  EXPECT_EQ(read.problems, expected);
  // The strict reader (the mpi launcher's) refuses the file with the first of them.
  EXPECT_EQ(read_error(path), expected[0]);
  std::remove(path.c_str());
}

TEST(CsvReader, ReadsFilesOfTwoSchemaVersionsConcatenatedWholeAsTwoBlocks) {
  // A version-4 block (no threads_per_rank, worker_cpus, round, ...: version 4's columns only)
  // followed by this version's: each row read by its own header.
  std::vector<std::string> names = csv_split(csv_header());
  std::string row = csv_row(sample_record(3), sample_context());
  row.pop_back();
  std::vector<std::string> fields = csv_split(row);
  std::vector<std::string> old_names, old_fields;
  for (std::size_t i = 0; i < names.size(); ++i) {
    static const std::vector<std::string> newer{
        "threads_per_rank", "worker_cpus",    "round",        "build_dirty",
        "calib_cpu_ns",     "calib_copy_gbs", "calib_wake_us"};
    if (std::find(newer.begin(), newer.end(), names[i]) != newer.end()) continue;
    old_names.push_back(names[i]);
    old_fields.push_back(csv_escape(i == 0 ? "4" : fields[i]));
  }
  const std::string path =
      write_csv(fmt::format("{}\n", fmt::join(old_names, ",")),
                {fmt::format("{}", fmt::join(old_fields, ",")), csv_header() + row, row});
  const CsvRead read = read_csv_file(path);
  EXPECT_TRUE(read.problems.empty()) << read.problems.front();
  ASSERT_EQ(read.rows.size(), 3u);
  for (const auto& r : read.rows) EXPECT_EQ(r.record.rep, 3);
  std::remove(path.c_str());
}

// This version's header and row as version 8 wrote them: lost_updates, redelivered and lost_s as
// columns of their own after error, `values` theirs.
std::pair<std::string, std::string> version_8(const RunRecord& record,
                                              const std::vector<std::string>& values) {
  auto names = csv_split(csv_header());
  std::string row = csv_row(record, sample_context());
  row.pop_back();
  auto fields = csv_split(row);
  const auto at = static_cast<std::ptrdiff_t>(column_index("error") + 1);
  names.insert(names.begin() + at, {"lost_updates", "redelivered", "lost_s"});
  fields.insert(fields.begin() + at, values.begin(), values.end());
  fields[0] = "8";
  std::vector<std::string> escaped;
  for (const auto& f : fields) escaped.push_back(csv_escape(f));
  return {fmt::format("{}\n", fmt::join(names, ",")), fmt::format("{}", fmt::join(escaped, ","))};
}

TEST(CsvReader, ReadsTheColumnsOfVersion8IntoMeasurements) {
  RunRecord record = sample_record(2);
  record.measurements = {{"unparsable_reads", 2}};
  const auto [header, row] = version_8(record, {"1234567890123", "3", "0.25"});
  const std::string empty = version_8(sample_record(3), {"", "", ""}).second;  // no counter
  const std::string path = write_csv(header, {row, empty});
  const auto records = read_csv_records(path);
  ASSERT_EQ(records.size(), 2u);
  // After what the row measured itself, in the order of the old columns.
  const Measurements expected{{"unparsable_reads", 2},
                              {"lost_updates", 1234567890123},
                              {"redelivered", 3},
                              {"lost_s", 0.25}};
  ASSERT_EQ(records[0].measurements.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(records[0].measurements[i].name, expected[i].name);
    EXPECT_EQ(records[0].measurements[i].value, expected[i].value);
  }
  EXPECT_TRUE(records[1].measurements.empty());
  // Written back as this version writes them: the count to its last digit.
  const std::string now = csv_row(records[0], sample_context());
  EXPECT_NE(now.find("unparsable_reads=2;lost_updates=1234567890123;redelivered=3;lost_s=0.25"),
            std::string::npos)
      << now;
  std::remove(path.c_str());
}

TEST(CsvReader, LeavesOutAVersion8BlockWithoutItsLostUpdatesColumn) {
  auto [header, row] = version_8(sample_record(1), {"-1", "", ""});
  // Its value is checked as the column was: a count.
  std::string path = write_csv(header, {row});
  EXPECT_EQ(read_csv_file(path).problems,
            std::vector<std::string>{path + ":2: column lost_updates: '-1' is not a whole number "
                                            "from 0 to 2^64-1"});
  const auto drop = [](const std::string& line) {
    auto fields = csv_split(line);
    fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(column_index("error") + 1));
    std::vector<std::string> escaped;
    for (const auto& f : fields) escaped.push_back(csv_escape(f));
    return fmt::format("{}", fmt::join(escaped, ","));
  };
  header.pop_back();
  path = write_csv(drop(header) + "\n", {drop(row)});
  EXPECT_EQ(read_csv_file(path).problems,
            std::vector<std::string>{path + ":1: the header has no column lost_updates (its 1 "
                                            "rows left out)"});
  std::remove(path.c_str());
}

TEST(CsvReporter, EndsAnUnterminatedLastLineBeforeAppending) {
  const std::string row = csv_row(sample_record(1), sample_context());
  const std::string path = write_csv(csv_header(), {row.substr(0, row.size() - 1)}, false);
  testing::internal::CaptureStderr();
  {
    CsvReporter reporter(path);
    reporter.begin(sample_context());
    ConfigResult result;
    result.reps = {sample_record(2)};
    reporter.report(result);
  }
  const std::string warning = testing::internal::GetCapturedStderr();
  EXPECT_NE(warning.find("did not end with a line break; added one"), std::string::npos);
  const auto records = read_csv_records(path);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].rep, 1);
  EXPECT_EQ(records[1].rep, 2);
  std::remove(path.c_str());
}

TEST(CsvReporter, RefusesAnUnwritablePath) {
  EXPECT_THROW(CsvReporter reporter("/nonexistent-dir/out.csv"), UsageError);
}

}  // namespace
