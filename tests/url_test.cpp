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

TEST(Url, ExpandsEverySymbolPlaceholder) {
  EXPECT_EQ(expand_symbol("wss://h/{symbol}/x/{symbol}", "ethusd"), "wss://h/ethusd/x/ethusd");
  EXPECT_EQ(expand_symbol("wss://h/v2/marketdata", "BTCUSD"), "wss://h/v2/marketdata");
}

}  // namespace
}  // namespace wsbook
