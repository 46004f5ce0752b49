#include <gtest/gtest.h>

#include <vector>

#include "harness/records/statistics.hpp"

namespace {

TEST(Summarize, OddCount) {
  const std::vector<double> v{3.0, 1.0, 2.0, 10.0, 4.0};
  const auto s = parbench::summarize(v);
  EXPECT_EQ(s.count, 5);
  EXPECT_DOUBLE_EQ(s.median, 3.0);
  EXPECT_DOUBLE_EQ(s.min, 1.0);
  EXPECT_DOUBLE_EQ(s.max, 10.0);
  EXPECT_DOUBLE_EQ(s.mean, 4.0);
  EXPECT_NEAR(s.stddev, 3.5355339, 1e-6);
  EXPECT_DOUBLE_EQ(s.mad, 1.0);  // deviations 0 2 1 7 1
  EXPECT_NEAR(s.mdape_pct, 100.0 / 3.0, 1e-9);
}

TEST(Summarize, EvenCountAndSingleValue) {
  EXPECT_DOUBLE_EQ(parbench::summarize(std::vector<double>{1.0, 2.0, 3.0, 4.0}).median, 2.5);
  const auto one = parbench::summarize(std::vector<double>{7.0});
  EXPECT_DOUBLE_EQ(one.median, 7.0);
  EXPECT_DOUBLE_EQ(one.stddev, 0.0);
  EXPECT_EQ(parbench::summarize(std::vector<double>{}).count, 0);
}

}  // namespace
