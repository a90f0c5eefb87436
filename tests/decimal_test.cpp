#include "wsbook/decimal.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace wsbook {
namespace {

DecimalText parse_ok(std::string_view in) {
  DecimalText d;
  EXPECT_EQ(parse_decimal(in, d), "") << in;
  return d;
}

std::string_view parse_error(std::string_view in) {
  DecimalText d;
  return parse_decimal(in, d);
}

TEST(Decimal, KeepsTheExactValueOfTheText) {
  EXPECT_EQ(parse_ok("9405.80").value, (Decimal{9405, 800000000000000000}));
  EXPECT_EQ(parse_ok("0.1362819142").value, (Decimal{0, 136281914200000000}));
  EXPECT_EQ(parse_ok("17.77").value, (Decimal{17, 770000000000000000}));
  EXPECT_EQ(parse_ok("5666").value, (Decimal{5666, 0}));
}

TEST(Decimal, EqualValuesWrittenDifferentlyAreEqual) {
  EXPECT_EQ(parse_ok("9405.8").value, parse_ok("9405.80").value);
  EXPECT_EQ(parse_ok("009405.800").value, parse_ok("9405.8").value);
  EXPECT_TRUE(parse_ok("0.000").value.is_zero());
  EXPECT_TRUE(parse_ok("0").value.is_zero());
}

TEST(Decimal, OrdersByNumericValue) {
  EXPECT_LT(parse_ok("9.99").value, parse_ok("10").value);
  EXPECT_LT(parse_ok("0.00000001").value, parse_ok("0.0000001").value);
  EXPECT_GT(parse_ok("6513.2").value, parse_ok("6513.19999999").value);
}

TEST(Decimal, CanonicalTextIsAValidJsonNumberWithTheSameValue) {
  EXPECT_EQ(parse_ok("9405.80").text, "9405.8");
  EXPECT_EQ(parse_ok("00.50").text, "0.5");
  EXPECT_EQ(parse_ok("0.000").text, "0");
  EXPECT_EQ(parse_ok("100").text, "100");
  EXPECT_EQ(parse_ok("100.00").text, "100");
  EXPECT_EQ(parse_ok("0.0000000001").text, "0.0000000001");
}

// The text plus what was trimmed after it is the venue's own spelling, which
// checksums hash (OKX: "30238.80" must not become "30238.8").
TEST(Decimal, RemembersHowManyTrailingCharactersItTrimmed) {
  for (const std::string in : {"9405.80", "100.00", "100", "0.000", "1.00000000", "12345.10000000", "3.64309424",
                               "0.0000000001", "7.000000000000000000000000", "30238.80000000000000"}) {
    SCOPED_TRACE(in);
    const DecimalText d = parse_ok(in);
    EXPECT_EQ(std::string(d.text) + in.substr(in.size() - d.trimmed), in);
  }
  EXPECT_EQ(parse_ok("9405.80").trimmed, 1);
  EXPECT_EQ(parse_ok("100.00").trimmed, 3);
  EXPECT_EQ(parse_ok("100").trimmed, 0);
  EXPECT_EQ(parse_ok("0." + std::string(300, '0')).trimmed, 255);  // capped
}

TEST(Decimal, TakesTheWidestValuesItPromises) {
  EXPECT_EQ(parse_ok("9999999999999999999.999999999999999999").value,
            (Decimal{9999999999999999999ULL, 999999999999999999ULL}));
  EXPECT_EQ(parse_ok("1.1000000000000000000000").text, "1.1");  // trailing zeros do not count
}

TEST(Decimal, RejectsWhatIsNotAPlainNonNegativeDecimal) {
  for (const char* bad : {"", "-1", "-0.5", "1e5", "1E5", "1.", ".5", "abc", "NaN", "inf", " 1", "1 ",
                          "1.2.3", "+1", "0x10", "1,5"}) {
    EXPECT_NE(parse_error(bad), "") << '"' << bad << '"';
  }
}

TEST(Decimal, RejectsValuesItCannotHoldExactly) {
  EXPECT_EQ(parse_error("10000000000000000000"), "number too large");
  EXPECT_EQ(parse_error(std::string(400, '9')), "number too large");
  EXPECT_EQ(parse_error("0.0000000000000000001"), "too many decimal places");
}

// Fractions of one to eight digits in a text of eight bytes or more are read
// as one word; each must give what reading digit by digit gives.
TEST(Decimal, ShortFractionsGiveTheValueAndTextOfEveryDigit) {
  EXPECT_EQ(parse_ok("3.64309424").value, (Decimal{3, 643094240000000000}));
  EXPECT_EQ(parse_ok("3.64309424").text, "3.64309424");
  EXPECT_EQ(parse_ok("12345.10000000").text, "12345.1");
  EXPECT_EQ(parse_ok("1.00000000").text, "1");
  EXPECT_TRUE(parse_ok("0000000.0").value.is_zero());
  EXPECT_EQ(parse_ok("0000000.0").text, "0");
  EXPECT_EQ(parse_ok("1234567.00000001").value, (Decimal{1234567, 10000000000}));
  for (const char* bad : {"1.234567a8", "1234567.a", "123456.1/", "123456.:1", "1.2345678 ", "123456.-1"}) {
    EXPECT_EQ(parse_error(bad), "not a decimal number") << '"' << bad << '"';
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    const std::string units = std::to_string(rng() % 100000000);
    std::string frac;
    for (std::size_t n = 1 + rng() % 8; frac.size() < n;) frac += static_cast<char>('0' + (rng() % 3 == 0 ? 0 : rng() % 10));
    const std::string text = units + "." + frac;
    std::string kept = frac;
    kept.erase(kept.find_last_not_of('0') + 1);
    std::uint64_t scaled = kept.empty() ? 0 : std::stoull(kept);
    for (std::size_t d = kept.size(); d < 18; ++d) scaled *= 10;
    const DecimalText d = parse_ok(text);
    EXPECT_EQ(d.value, (Decimal{std::stoull(units), scaled})) << text;
    EXPECT_EQ(d.text, kept.empty() ? units : units + "." + kept) << text;
  }
}

}  // namespace
}  // namespace wsbook
