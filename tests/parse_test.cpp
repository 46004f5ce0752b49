#include <gtest/gtest.h>

#include "harness/errors.hpp"
#include "harness/parse.hpp"

namespace {

using parbench::parse_count;
using parbench::parse_workers;
using parbench::UsageError;

TEST(ParseCount, AcceptsDigitsAndScientificNotation) {
  EXPECT_EQ(parse_count("100000000", "--samples"), 100000000u);
  EXPECT_EQ(parse_count("1e8", "--samples"), 100000000u);
  EXPECT_EQ(parse_count("1E8", "--samples"), 100000000u);
  EXPECT_EQ(parse_count("2.5e9", "--samples"), 2500000000u);
  EXPECT_EQ(parse_count("1000007", "--samples"), 1000007u);
  EXPECT_EQ(parse_count("9223372036854775808", "--samples"), 1ULL << 63);
}

TEST(ParseCount, RejectsWhatIsNotAPositiveWholeNumberUpTo2To63) {
  for (const char* bad : {"1.5", "-3", "abc", "", "0", "1e", "e9", "1e-2", "9223372036854775809",
                          "1e19", "18446744073709551616", "1.5e0", "0x10", " 5", "5 "}) {
    EXPECT_THROW(parse_count(bad, "--samples"), UsageError) << bad;
  }
}

TEST(ParseCount, ErrorNamesTheOptionAndTheValue) {
  try {
    parse_count("1.5", "--samples");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--samples"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("1.5"), std::string::npos);
  }
}

TEST(ParseWorkers, ListsRangesAndAuto) {
  EXPECT_EQ(parse_workers({"1", "2", "4"}, 8), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(parse_workers({"1:8:*2"}, 8), (std::vector<int>{1, 2, 4, 8}));
  EXPECT_EQ(parse_workers({"1:4"}, 8), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(parse_workers({"2:8:+3"}, 8), (std::vector<int>{2, 5, 8}));
  EXPECT_EQ(parse_workers({"auto"}, 6), (std::vector<int>{6}));
  EXPECT_EQ(parse_workers({"1:auto:*2", "auto"}, 6), (std::vector<int>{1, 2, 4, 6}));
  EXPECT_EQ(parse_workers({"2", "2", "1"}, 8), (std::vector<int>{2, 1}));
}

TEST(ParseWorkers, RejectsZeroNegativeTextAndBackwardRanges) {
  for (const char* bad :
       {"0", "-1", "abc", "1.5", "8:2", "1:8:*1", "1:8:*0", "1:8:+0", "", "1::2", "99999"}) {
    EXPECT_THROW(parse_workers({bad}, 8), UsageError) << bad;
  }
}

}  // namespace
