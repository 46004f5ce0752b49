#pragma once

#include <span>

namespace parbench {

struct Summary {
  int count = 0;
  double median = 0.0;
  double min = 0.0;
  double max = 0.0;
  double mean = 0.0;
  double stddev = 0.0;     // sample standard deviation
  double mad = 0.0;        // median absolute deviation from the median
  double mdape_pct = 0.0;  // median absolute percentage error from the median (nanobench's err%)
};

Summary summarize(std::span<const double> values);

}  // namespace parbench
