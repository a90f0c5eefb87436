// --proxy and https_proxy/no_proxy on the real binary: the book through a
// CONNECT tunnel, and every way a proxy says no, in its own words.
#include <gmock/gmock.h>

#include <cstdlib>
#include <optional>

#include "cli_util.h"
#include "support/connect_proxy.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;

std::string port_of(const std::string& url) { return url.substr(url.rfind(':') + 1); }

TEST(CliProxy, TheBookComesThroughTheTunnel) {
  StreamingExchange ex(5);
  ConnectProxy proxy;
  const auto r = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--count", "3", "--proxy", proxy.url()}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(split_lines(r.out).size(), 3u);
  EXPECT_EQ(check_findings("stdout", r.out), "");
  EXPECT_EQ(proxy.tunnels(), 1);
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_THAT(proxy.requests()[0], ::testing::StartsWith("CONNECT localhost:" + std::to_string(ex.server.port())));
  EXPECT_THAT(r.err, HasSubstr("through proxy 127.0.0.1:" + port_of(proxy.url())));
}

// Sets an environment variable for the test's children, and puts it back after.
struct ScopedEnv {
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  const char* name_;
  std::optional<std::string> old_;
};

TEST(CliProxy, HttpsProxyFromTheEnvironmentAndNoProxyAsCurlReadsThem) {
  ConnectProxy proxy;
  {
    StreamingExchange ex(5);
    const ScopedEnv https("HTTPS_PROXY", proxy.url());
    EXPECT_EQ(run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--count", "2"})).code, 0);
    EXPECT_EQ(proxy.tunnels(), 1);
  }
  {
    StreamingExchange ex(5);
    const ScopedEnv https("https_proxy", proxy.url());
    const ScopedEnv bypass("no_proxy", "example.com,localhost");
    EXPECT_EQ(run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--count", "2"})).code, 0);
    EXPECT_EQ(proxy.tunnels(), 1);  // no_proxy: straight to the exchange
  }
  {
    StreamingExchange ex(5);
    const ScopedEnv https("https_proxy", proxy.url());
    EXPECT_EQ(run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--count", "2", "--proxy", ""})).code, 0);
    EXPECT_EQ(proxy.tunnels(), 1);  // --proxy "": no proxy, whatever the environment says
  }
}

TEST(CliProxy, A407IsReportedAsTheProxysAndRetriedUntilMaxRetries) {
  StreamingExchange ex(5);
  ConnectProxy proxy({.credentials = "me:secret", .refuse_status = 0});
  const auto r = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--proxy", proxy.url(), "--max-retries", "2"}));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("proxy 127.0.0.1:" + port_of(proxy.url()) + " refused the tunnel to localhost:"));
  EXPECT_THAT(r.err, HasSubstr("407 Proxy Authentication Required"));
  EXPECT_THAT(r.err, HasSubstr("giving up after 2 failed attempts"));
  EXPECT_EQ(ex.server.connections(), 0);

  const std::string with = "http://me:secret@127.0.0.1:" + port_of(proxy.url());
  const auto ok = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--count", "2", "--proxy", with}));
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_THAT(ok.err, Not(HasSubstr("secret")));  // the password is never logged
  EXPECT_THAT(proxy.requests().back(), HasSubstr("Proxy-Authorization: Basic " + base64("me:secret")));
}

TEST(CliProxy, AProxyThatIsNotThereIsNamed) {
  std::string url;
  {
    ConnectProxy gone;
    url = gone.url();
  }
  StreamingExchange ex(5);
  const auto r = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--proxy", url, "--max-retries", "1"}));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot connect to proxy 127.0.0.1:" + port_of(url)));
}

TEST(CliProxy, AMalformedProxyIsAUsageErrorWithoutItsPassword) {
  for (const char* bad : {"socks5://127.0.0.1:1080", "http://", "http://h:99999", "http://me:hunter2@:1"}) {
    const auto r = run_to_end({kBinary, "-s", "BTCUSD", "--proxy", bad});
    EXPECT_EQ(r.code, 2) << bad;
    EXPECT_THAT(r.err, HasSubstr("--proxy")) << bad;
    EXPECT_THAT(r.err, Not(HasSubstr("hunter2"))) << bad;
  }
}

// (support/no_proxy_environment.cpp clears the machine's proxy settings before every test.)
TEST(CliProxy, AnUnusableProxyInTheEnvironmentIsWarnedOfAndBypassed) {
  StreamingExchange ex(5);
  const ScopedEnv https("https_proxy", "socks5h://me:hunter2@proxy:1080");
  const auto r = run_to_end(wsbook_args(ex.server, {"-s", "BTCUSD", "--count", "2"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("https_proxy socks5h://***@proxy:1080 is not used, connecting directly: only http://"));
  EXPECT_THAT(r.err, Not(HasSubstr("hunter2")));
}

}  // namespace
}  // namespace wsbook::testing
