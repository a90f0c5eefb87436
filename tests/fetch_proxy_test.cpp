// REST snapshots through an HTTP CONNECT proxy: the tunnel, TLS inside it to
// the venue (verified as the venue), and the proxy's refusals in plain words.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

#include "net/fetch.h"
#include "net/proxy_tunnel.h"
#include "net/session.h"
#include "support/connect_proxy.h"
#include "support/test_certs.h"
#include "support/test_exchange.h"

namespace wsbook::net {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
using wsbook::testing::Connection;
using wsbook::testing::ConnectProxy;
using wsbook::testing::TestExchange;

TestExchange::Script answer_ok() {
  return [](Connection& c) {
    if (!c.tls_handshake() || c.read_http_request().empty()) return;
    c.respond_http(200, {}, R"({"lastUpdateId":1})");
  };
}

FetchResponse fetch_through(const std::string& proxy_url, const std::string& url, const std::string& no_proxy = "") {
  boost::asio::io_context ioc;
  boost::asio::ssl::context tls{boost::asio::ssl::context::tls_client};
  ConnectionOptions options;
  options.cafile = wsbook::testing::test_ca_file();
  options.step_timeout = 3s;
  std::string error;
  options.proxy = parse_proxy_url(proxy_url, error);
  options.no_proxy = no_proxy;
  EXPECT_EQ(configure_tls(tls, options), "");
  Fetcher fetcher(ioc, tls, options);
  std::optional<FetchResponse> got;
  fetcher.get({1, url, 0ms}, [&](FetchResponse r) { got = std::move(r); });
  ioc.run();
  return got.value_or(FetchResponse{});
}

std::string url_of(const TestExchange& exchange) {
  return "https://localhost:" + std::to_string(exchange.port()) + "/api/v3/depth";
}

TEST(FetchProxy, GoesThroughTheTunnelAndStillVerifiesTheVenue) {
  TestExchange exchange(answer_ok());
  ConnectProxy proxy;
  const FetchResponse r = fetch_through(proxy.url(), url_of(exchange));
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, R"({"lastUpdateId":1})");
  EXPECT_EQ(proxy.tunnels(), 1);
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_THAT(proxy.requests()[0], ::testing::StartsWith("CONNECT localhost:" + std::to_string(exchange.port()) +
                                                         " HTTP/1.1\r\n"));
  EXPECT_THAT(proxy.requests()[0], Not(HasSubstr("Proxy-Authorization")));
}

TEST(FetchProxy, CredentialsGoAsBasicAnd407SaysSo) {
  TestExchange exchange(answer_ok());
  ConnectProxy proxy({.credentials = "me:p@ss"});
  const std::string with = "http://me:p%40ss@127.0.0.1:" + proxy.url().substr(proxy.url().rfind(':') + 1);
  EXPECT_EQ(fetch_through(with, url_of(exchange)).status, 200);
  const FetchResponse refused = fetch_through(proxy.url(), url_of(exchange));
  EXPECT_EQ(refused.status, 0);
  EXPECT_THAT(refused.error, HasSubstr("refused the tunnel to localhost:"));
  EXPECT_THAT(refused.error, HasSubstr("407 Proxy Authentication Required"));
  EXPECT_THAT(refused.error, HasSubstr("give user:password@"));
  const std::string wrong = "http://me:nope@127.0.0.1:" + proxy.url().substr(proxy.url().rfind(':') + 1);
  EXPECT_THAT(fetch_through(wrong, url_of(exchange)).error, HasSubstr("refused the credentials"));
  EXPECT_EQ(proxy.tunnels(), 1);
}

TEST(FetchProxy, ARefusalOrNoProxyAtAllIsReportedAsTheProxys) {
  TestExchange exchange(answer_ok());
  ConnectProxy forbidding({.credentials = "", .refuse_status = 403});
  EXPECT_THAT(fetch_through(forbidding.url(), url_of(exchange)).error, HasSubstr("refused the tunnel to localhost:"));
  std::string dead_url;
  {
    ConnectProxy gone;
    dead_url = gone.url();
  }
  const FetchResponse dead = fetch_through(dead_url, url_of(exchange));
  EXPECT_EQ(dead.status, 0);
  EXPECT_THAT(dead.error, HasSubstr("connecting to proxy 127.0.0.1:"));
}

TEST(FetchProxy, NoProxyHostsGoDirect) {
  TestExchange exchange(answer_ok());
  ConnectProxy proxy;
  EXPECT_EQ(fetch_through(proxy.url(), url_of(exchange), "example.com, .localhost").status, 200);
  EXPECT_EQ(proxy.tunnels(), 0);
}

// As curl: https_proxy is for TLS URLs; --proxy (proxy_plain) tunnels ws:// too.
TEST(FetchProxy, AnEnvironmentProxyLeavesWsDirect) {
  std::string error;
  const auto proxy = parse_proxy_url("http://10.0.0.1:3128", error);
  const Url wss = *parse_ws_url("wss://relay.local/x", error), ws = *parse_ws_url("ws://relay.local/x", error);
  EXPECT_EQ(first_hop(wss, proxy, "", false).what(), "proxy 10.0.0.1:3128");
  EXPECT_EQ(first_hop(ws, proxy, "", false).what(), "relay.local:80");
  EXPECT_EQ(first_hop(ws, proxy, "", true).what(), "proxy 10.0.0.1:3128");
  EXPECT_EQ(first_hop(wss, proxy, "relay.local", true).what(), "relay.local:443");
}

}  // namespace
}  // namespace wsbook::net
