// RFC 3339 times as Coinbase and Kraken send them, to the exact millisecond.
#include "json/rfc3339.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>

namespace wsbook::json {
namespace {

TEST(Rfc3339, ToUnixMillisecondsExactly) {
  EXPECT_EQ(parse_rfc3339_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:50.714964855Z"), 1675974770714);  // Coinbase: nine digits
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:50.999999999Z"), 1675974770999);  // truncated, never rounded
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:50.07Z"), 1675974770070);
  EXPECT_EQ(parse_rfc3339_ms("2021-04-17T16:43:37.077736000Z"), 1618677817077);
  EXPECT_EQ(parse_rfc3339_ms("2023-10-06T17:35:55.440295Z"), 1696613755440);  // Kraken: six digits
  EXPECT_EQ(parse_rfc3339_ms("2023-10-06T17:35:55.4Z"), 1696613755400);
  EXPECT_EQ(parse_rfc3339_ms("2023-10-06T17:35:55Z"), 1696613755000);
  EXPECT_EQ(parse_rfc3339_ms("2000-02-29T23:59:59.001Z"), 951868799001);
  EXPECT_EQ(parse_rfc3339_ms("2024-02-29T00:00:00.999999999Z"), 1709164800999);
  EXPECT_EQ(parse_rfc3339_ms("2023-10-06T19:35:55.440+02:00"), 1696613755440);
  EXPECT_EQ(parse_rfc3339_ms("1969-12-31T23:59:59Z"), -1000);
  EXPECT_EQ(parse_rfc3339_ms("9999-12-31T23:59:59Z"), 253402300799000);
}

TEST(Rfc3339, AnythingElseIsRefused) {
  for (std::string_view bad :
       {"", "2023-10-06", "2023-10-06T17:35:55", "2023-13-06T17:35:55Z", "2023-00-09T20:32:50Z", "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z", "2023-10-06T24:00:00Z", "2023-02-09T20:60:00Z", "2023-02-09T20:32:61Z",
        "2023-02-09T20:32:5xZ", "+023-02-09T20:32:50Z", "2023-10-06T17:35:55.Z", "2023-10-06T17:35:55.1ZZ",
        "2023-02-09T20:32:50.71a4Z", "2023-10-06T17:35:55+0200", "2023-1a-06T17:35:55Z"}) {
    EXPECT_EQ(parse_rfc3339_ms(bad), std::nullopt) << bad;
  }
}

// The whole second is remembered from the last time: what follows it is read every time.
TEST(Rfc3339, TheSameSecondAgainIsReadWholeEachTime) {
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:50.714964855Z"), 1675974770714);
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:50.1Z"), 1675974770100);
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:50+01:00"), 1675974770000 - 3'600'000);
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:50.Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:50"), std::nullopt);
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:51Z"), 1675974771000);
  EXPECT_EQ(parse_rfc3339_ms("2023-02-30T20:32:51Z"), std::nullopt);
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:51.5Z"), 1675974771500);
  EXPECT_EQ(parse_rfc3339_ms("2023-02-09T20:32:50.714Z"), 1675974770714);
}

// Each answer, with whatever the thread read before, equals a fresh thread's, whose memo is empty.
TEST(Rfc3339, TheMemoNeverChangesAnAnswer) {
  std::mt19937 rng(7);
  const std::string bases[] = {"2023-02-09T20:32:50.714964855Z", "2023-02-09T20:32:51Z", "2024-02-29T23:59:59.5+01:00",
                               "2023-02-30T20:32:50Z"};
  static constexpr std::string_view kBytes = "0123456789.:-+TZz x";
  for (int i = 0; i < 2000; ++i) {
    std::string text = bases[rng() % std::size(bases)];
    for (unsigned edits = rng() % 3; edits > 0; --edits) {
      const std::size_t at = rng() % text.size();
      if (rng() % 4 == 0) text.erase(at, 1);
      else text[at] = kBytes[rng() % kBytes.size()];
    }
    std::optional<std::int64_t> fresh;
    std::thread([&] { fresh = parse_rfc3339_ms(text); }).join();
    ASSERT_EQ(parse_rfc3339_ms(text), fresh) << text;
  }
}

}  // namespace
}  // namespace wsbook::json
