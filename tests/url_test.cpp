#include "wsbook/url.h"

#include <gtest/gtest.h>

namespace wsbook {
namespace {

Url parse_ok(const std::string& text) {
  std::string error;
  auto url = parse_wss_url(text, error);
  EXPECT_TRUE(url) << text << ": " << error;
  return url.value_or(Url{});
}

TEST(Url, SplitsHostPortAndTarget) {
  const Url u = parse_ok("wss://api.gemini.com/v1/marketdata/BTCUSD?heartbeat=true");
  EXPECT_EQ(u.host, "api.gemini.com");
  EXPECT_EQ(u.port, "443");
  EXPECT_EQ(u.target, "/v1/marketdata/BTCUSD?heartbeat=true");
  EXPECT_EQ(parse_ok("wss://localhost:8443").target, "/");
  EXPECT_EQ(parse_ok("wss://localhost:8443").port, "8443");
  EXPECT_EQ(parse_ok("wss://h?x=1").target, "/?x=1");
  const Url v6 = parse_ok("wss://[::1]:9000/ws");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, "9000");
}

TEST(Url, RejectsWhatIsNotWss) {
  for (const char* bad : {"ws://h/", "https://h/", "wss://", "wss://:443/", "wss://h:0/", "wss://h:70000/",
                          "wss://h:port/", "wss://user@h/", "api.gemini.com"}) {
    std::string error;
    EXPECT_FALSE(parse_wss_url(bad, error)) << bad;
    EXPECT_FALSE(error.empty());
  }
}

TEST(Url, ParsesHttpsLikeWss) {
  std::string error;
  const auto u = parse_https_url("https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000", error);
  ASSERT_TRUE(u) << error;
  EXPECT_EQ(u->host, "api.binance.com");
  EXPECT_EQ(u->port, "443");
  EXPECT_EQ(u->target, "/api/v3/depth?symbol=BTCUSDT&limit=1000");
  EXPECT_EQ(parse_https_url("https://[::1]:8443", error).value_or(Url{}).port, "8443");
  for (const char* bad : {"wss://h/", "http://h/", "https://", "https://h:0/", "https://user@h/"}) {
    EXPECT_FALSE(parse_https_url(bad, error)) << bad;
  }
  EXPECT_EQ(error, "URL has no valid host");
  parse_https_url("wss://h/", error);
  EXPECT_EQ(error, "URL must start with https://");
}

TEST(Url, ExpandsEverySymbolPlaceholder) {
  EXPECT_EQ(expand_symbol("wss://h/{symbol}/x/{symbol}", "ethusd"), "wss://h/ethusd/x/ethusd");
  EXPECT_EQ(expand_symbol("wss://h/v2/marketdata", "BTCUSD"), "wss://h/v2/marketdata");
}

}  // namespace
}  // namespace wsbook
