// A kernel's own table (verify, count, fill), printed after a run's rows: every configuration of
// that kernel becomes one cell, as `cell_of` makes it from the result and the host, and `print`
// lays the cells out at the end. `parbench report` prints the same tables from CSVs.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "harness/reporters/reporter.hpp"

namespace parbench {

template <typename Cell>
class TableReporter final : public Reporter {
 public:
  // A std::function: a table may bind what it is told rather than ask for it (verify's reference).
  using CellOf = std::function<Cell(const ConfigResult& result, const std::string& host)>;
  using Print = void (*)(std::ostream& out, const std::vector<Cell>& cells);

  TableReporter(std::ostream& out, std::string kernel, CellOf cell_of, Print print)
      : out_(out), kernel_(std::move(kernel)), cell_of_(std::move(cell_of)), print_(print) {}

  void begin(const RunContext& context) override { host_ = context.machine.host; }
  void report(const ConfigResult& result) override {
    if (result.first().kernel == kernel_) cells_.push_back(cell_of_(result, host_));
  }
  void end() override { print_(out_, cells_); }

 private:
  std::ostream& out_;
  std::string kernel_;
  CellOf cell_of_;
  Print print_;
  std::string host_;
  std::vector<Cell> cells_;
};

}  // namespace parbench
