#include <gtest/gtest.h>

#include <CLI/CLI.hpp>  // the whole of CLI11: an App of its own needs its formatter and config

#include "harness/backends/number_options.hpp"
#include "harness/backends/parse.hpp"
#include "harness/records/errors.hpp"

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

// One wording for every number error: the option, the real bounds, and what was typed.
TEST(NumberErrors, OneWordingWithTheRealBounds) {
  const auto message = [](auto parse) {
    try {
      parse();
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  constexpr std::uint64_t kMax64 = ~std::uint64_t{0};
  EXPECT_EQ(message([] { parbench::parse_integer("1", "--n", 2, kMax64); }),
            "--n must be a whole number from 2 to 2^64-1 (1e9 notation allowed); got '1'");
  EXPECT_EQ(message([] { parbench::parse_integer("-5", "--n", 2, kMax64); }),
            "--n must be a whole number from 2 to 2^64-1 (1e9 notation allowed); got '-5'");
  EXPECT_EQ(message([] { parbench::parse_integer("18446744073709551616", "--n", 2, kMax64); }),
            "--n must be a whole number from 2 to 2^64-1 (1e9 notation allowed); got "
            "'18446744073709551616'");
  EXPECT_EQ(message([] { parse_count("1.5", "--samples"); }),
            "--samples must be a whole number from 1 to 2^63 (1e9 notation allowed); got '1.5'");
  EXPECT_EQ(message([] { parbench::parse_u64("x", "--seed"); }),
            "--seed must be a whole number from 0 to 2^64-1; got 'x'");
  EXPECT_EQ(message([] { parbench::parse_small_int("0", "--repeat", 1, 10000); }),
            "--repeat must be a whole number from 1 to 10000; got '0'");
  // The largest --n is accepted.
  EXPECT_EQ(parbench::parse_integer("18446744073709551615", "--n", 2, kMax64), kMax64);
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

// The kernels' single numbers, bound as numbers: CLI11 takes parse_integer's notation through
// whole_count and never reads "010" as octal.
TEST(NumberOptions, CountsAndSeedsReachTheirNumbersAsTyped) {
  CLI::App app;
  std::uint64_t rows = 0;
  std::uint64_t seed = 0;
  app.add_option("--rows", rows)->transform(parbench::whole_count(1, parbench::kMaxCount));
  app.add_option("--seed", seed)->transform(parbench::any_u64());
  app.parse("--rows 2.5e3 --seed 010", false);
  EXPECT_EQ(rows, 2500u);
  EXPECT_EQ(seed, 10u);
  try {
    app.parse("--rows 0", false);
    ADD_FAILURE() << "--rows 0 was taken";
  } catch (const CLI::ValidationError& e) {
    EXPECT_EQ(std::string(e.what()),
              "--rows: must be a whole number from 1 to 2^63 (1e9 notation allowed); got '0'");
  }
  EXPECT_THROW(app.parse("--seed -1", false), CLI::ValidationError);
}

}  // namespace
