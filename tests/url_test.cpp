#include "wsbook/url.h"

#include <gtest/gtest.h>

namespace wsbook {
namespace {

Url parse_ok(const std::string& text) {
  std::string error;
  auto url = parse_ws_url(text, error);
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
  EXPECT_TRUE(u.tls);
}

TEST(Url, TakesPlainWsWithoutTls) {
  const Url u = parse_ok("ws://localhost/ws");
  EXPECT_FALSE(u.tls);
  EXPECT_EQ(u.port, "80");
  EXPECT_EQ(u.target, "/ws");
  EXPECT_EQ(parse_ok("ws://127.0.0.1:9001").port, "9001");
  std::string error;
  EXPECT_FALSE(parse_ws_url("ws://", error));
  EXPECT_FALSE(parse_ws_url("http://h/", error));
  EXPECT_EQ(error, "URL must start with wss:// (or ws://)");
}

TEST(Url, RejectsWhatIsNotAWebSocketUrl) {
  for (const char* bad : {"wws://h/", "https://h/", "wss://", "wss://:443/", "wss://h:0/", "wss://h:70000/",
                          "wss://h:port/", "wss://user@h/", "api.gemini.com"}) {
    std::string error;
    EXPECT_FALSE(parse_ws_url(bad, error)) << bad;
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

TEST(ProxyUrl, ReadsHostPortAndCredentialsAsCurlDoes) {
  std::string error;
  auto p = parse_proxy_url("http://proxy.corp:3128", error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->host, "proxy.corp");
  EXPECT_EQ(p->port, "3128");
  EXPECT_EQ(p->credentials, "");
  EXPECT_EQ(p->where(), "proxy.corp:3128");
  p = parse_proxy_url("proxy.corp", error);  // no scheme: http://, curl's port
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->port, "1080");
  p = parse_proxy_url("HTTP://me:p%40ss@[::1]:8080/", error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->host, "::1");
  EXPECT_EQ(p->port, "8080");
  EXPECT_EQ(p->credentials, "me:p@ss");
  EXPECT_EQ(p->where(), "[::1]:8080");
  EXPECT_EQ(parse_proxy_url("http://me@h:1", error)->credentials, "me:");
  EXPECT_EQ(parse_proxy_url("http://[::1]", error)->port, "1080");
}

TEST(ProxyUrl, RefusesWhatIsNoHttpProxy) {
  std::string error;
  EXPECT_FALSE(parse_proxy_url("socks5://h:1080", error));
  EXPECT_EQ(error, "only http:// proxies (HTTP CONNECT) are supported, not socks5://");
  EXPECT_FALSE(parse_proxy_url("https://h:443", error));
  EXPECT_FALSE(parse_proxy_url("http://", error));
  EXPECT_EQ(error, "the proxy URL has no valid host");
  EXPECT_FALSE(parse_proxy_url("http://h:99999", error));
  EXPECT_EQ(error, "the proxy URL has an invalid port");
  EXPECT_FALSE(parse_proxy_url("http://me:%zz@h:1", error));
}

TEST(ProxyUrl, NoProxyCoversNamesTheirSubdomainsAndEverythingForAStar) {
  EXPECT_TRUE(bypasses_proxy("localhost", "localhost"));
  EXPECT_TRUE(bypasses_proxy("api.Binance.com", "binance.com"));
  EXPECT_TRUE(bypasses_proxy("api.binance.com", " example.org , .binance.com"));
  EXPECT_FALSE(bypasses_proxy("notbinance.com", "binance.com"));
  EXPECT_FALSE(bypasses_proxy("binance.com.evil", "binance.com"));
  EXPECT_TRUE(bypasses_proxy("10.0.0.1", "10.0.0.1"));
  EXPECT_FALSE(bypasses_proxy("10.0.0.1", "0.1"));  // an address matches whole, not by its end
  EXPECT_TRUE(bypasses_proxy("10.1.2.3", "192.168.0.0/16,10.0.0.0/8"));
  EXPECT_FALSE(bypasses_proxy("11.1.2.3", "10.0.0.0/8"));
  EXPECT_TRUE(bypasses_proxy("::1", "::1"));
  EXPECT_TRUE(bypasses_proxy("api.binance.com.", "binance.com."));
  EXPECT_TRUE(bypasses_proxy("anything", "*"));
  EXPECT_FALSE(bypasses_proxy("anything", "example.com,*"));  // "*" means all only alone
  EXPECT_FALSE(bypasses_proxy("anything", ""));
  EXPECT_FALSE(bypasses_proxy("anything", ",,"));
}

}  // namespace
}  // namespace wsbook
