#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "harness/errors.hpp"
#include "harness/reporters/csv_format.hpp"
#include "harness/reporters/csv_reporter.hpp"
#include "harness/text.hpp"

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
  EXPECT_EQ(csv_split(join(escaped, ",")), fields);
}

TEST(CsvFormat, HeaderStartsWithTheSchemaVersionAndHasTheRequiredColumns) {
  const std::string header = csv_header();
  EXPECT_EQ(
      header.rfind("schema_version,run_id,timestamp,host,cpu_model,logical_cpus,kernel,backend,ipc,"
                   "schedule,chunk,"
                   "workers,nodes,size,params,rep,setup_s,wall_s,cpu_s,result,value,valid,error",
                   0),
      0u);
  for (const char* col : {"compiler", "cxx_flags", "build_type", "tbb_version", "mpi_version"}) {
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

TEST(CsvReporter, RefusesAnUnwritablePath) {
  EXPECT_THROW(CsvReporter reporter("/nonexistent-dir/out.csv"), UsageError);
}

}  // namespace
