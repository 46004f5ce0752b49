#include "harness/records/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace parbench {
namespace {
double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
}  // namespace

Summary summarize(std::span<const double> values) {
  Summary s;
  s.count = static_cast<int>(values.size());
  if (values.empty()) return s;
  std::vector<double> v(values.begin(), values.end());
  s.median = median_of(v);
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  s.min = *lo;
  s.max = *hi;
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  if (v.size() > 1) {
    double squares = 0.0;
    for (const double x : v) squares += (x - s.mean) * (x - s.mean);
    s.stddev = std::sqrt(squares / static_cast<double>(v.size() - 1));
  }
  std::vector<double> deviations;
  for (const double x : v) deviations.push_back(std::abs(x - s.median));
  s.mad = median_of(deviations);
  s.mdape_pct = s.median > 0.0 ? 100.0 * s.mad / s.median : 0.0;
  return s;
}

}  // namespace parbench
