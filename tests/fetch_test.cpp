// The REST fetcher (src/net/fetch.h) against the test exchange answering plain
// HTTPS on 127.0.0.1: statuses, bodies, Retry-After, timeouts, TLS trust, delay,
// cancellation and several requests at once.
#include "net/fetch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "net/session.h"
#include "support/test_certs.h"
#include "support/test_exchange.h"

namespace wsbook::net {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using wsbook::testing::Connection;
using wsbook::testing::TestExchange;
using Clock = std::chrono::steady_clock;

// An io_context and a TLS context set up the way the crawler sets up its own.
struct Client {
  explicit Client(std::chrono::milliseconds step_timeout = 3s, bool insecure = false) {
    options.cafile = wsbook::testing::test_ca_file();
    options.insecure = insecure;
    options.step_timeout = step_timeout;
    // WebSocket handshake headers: the fetcher must not send them.
    options.headers = {"X-Api-Key: secret"};
    EXPECT_EQ(configure_tls(tls, options), "");
  }
  /// Runs the io_context until nothing is left to do (polite shutdowns included).
  void run() {
    ioc.run();
    ioc.restart();
  }
  boost::asio::io_context ioc;
  boost::asio::ssl::context tls{boost::asio::ssl::context::tls_client};
  ConnectionOptions options;
};

std::string https_url(const TestExchange& exchange, const std::string& target, const std::string& host = "localhost") {
  return "https://" + host + ":" + std::to_string(exchange.port()) + target;
}

// What the server saw of the last request.
struct Seen {
  std::mutex mutex;
  std::string target, host, user_agent, accept, connection, api_key;
};

TestExchange::Script answer(int status, std::vector<Connection::Header> headers, std::string body,
                            Seen* seen = nullptr) {
  return [=](Connection& c) {
    if (!c.tls_handshake() || c.read_http_request().empty()) return;
    if (seen) {
      std::lock_guard lock(seen->mutex);
      seen->target = c.request_target();
      seen->host = c.request_header("Host");
      seen->user_agent = c.request_header("User-Agent");
      seen->accept = c.request_header("Accept");
      seen->connection = c.request_header("Connection");
      seen->api_key = c.request_header("X-Api-Key");
    }
    c.respond_http(status, headers, body);
  };
}

// Reads the request, then sends nothing for `silence` (and answers 200 after it).
TestExchange::Script silent(std::chrono::milliseconds silence, std::atomic<int>* requests = nullptr) {
  return [=](Connection& c) {
    if (!c.tls_handshake() || c.read_http_request().empty()) return;
    if (requests) ++*requests;
    c.stall(silence);
    c.respond_http(200, {}, "late");
  };
}

// Fetches `url` on a Fetcher of its own and runs the io_context until idle; checks `done` ran once.
FetchResponse fetch_one(Client& client, const std::string& url, std::size_t max_body = kMaxFetchBody) {
  Fetcher fetcher(client.ioc, client.tls, client.options, max_body);
  std::optional<FetchResponse> got;
  int calls = 0;
  fetcher.get({7, url, 0ms}, [&](FetchResponse r) {
    ++calls;
    got = std::move(r);
  });
  EXPECT_EQ(fetcher.in_flight(), 1u);
  client.run();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(fetcher.in_flight(), 0u);
  return got.value_or(FetchResponse{});
}

TEST(Fetch, GetsTheBodyWithOnlyItsOwnHeaders) {
  Seen seen;
  const std::string body = R"({"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],"asks":[]})";
  TestExchange exchange(answer(200, {{"Content-Type", "application/json"}}, body, &seen));
  Client client;
  const FetchResponse r = fetch_one(client, https_url(exchange, "/api/v3/depth?symbol=BTCUSDT&limit=1000"));
  EXPECT_EQ(r.id, 7u);
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.error, "");
  EXPECT_FALSE(r.retry_after);
  std::lock_guard lock(seen.mutex);
  EXPECT_EQ(seen.target, "/api/v3/depth?symbol=BTCUSDT&limit=1000");
  EXPECT_EQ(seen.host, "localhost:" + std::to_string(exchange.port()));
  EXPECT_EQ(seen.user_agent, user_agent());
  EXPECT_EQ(seen.accept, "application/json");
  EXPECT_EQ(seen.connection, "close");
  EXPECT_EQ(seen.api_key, "");
}

TEST(Fetch, ReadsRetryAfterSecondsAndIgnoresADate) {
  TestExchange seconds(answer(429, {{"Retry-After", "3"}}, R"({"code":-1003,"msg":"Too many requests"})"));
  TestExchange date(answer(503, {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}, ""));
  Client client;
  const FetchResponse limited = fetch_one(client, https_url(seconds, "/api/v3/depth"));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.retry_after, std::chrono::milliseconds(3000));
  EXPECT_EQ(limited.body, R"({"code":-1003,"msg":"Too many requests"})");
  const FetchResponse unavailable = fetch_one(client, https_url(date, "/"));
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_FALSE(unavailable.retry_after);
}

TEST(Fetch, ReturnsAnErrorStatusWithItsJsonBody) {
  const std::string body = R"({"code":-1121,"msg":"Invalid symbol."})";
  TestExchange exchange(answer(400, {{"Content-Type", "application/json"}}, body));
  Client client;
  const FetchResponse r = fetch_one(client, https_url(exchange, "/api/v3/depth?symbol=NOPE"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.error, "");
}

TEST(Fetch, TimesOutReadingWhenTheServerNeverAnswers) {
  TestExchange exchange(silent(10s));
  Client client(300ms);
  const auto start = Clock::now();
  const FetchResponse r = fetch_one(client, https_url(exchange, "/"));
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.error, HasSubstr("timeout reading the response"));
  EXPECT_GE(Clock::now() - start, 300ms);
  EXPECT_LT(Clock::now() - start, 5s);
}

TEST(Fetch, TimesOutInTheTlsHandshakeWhenTheServerSaysNothing) {
  TestExchange exchange([](Connection& c) { c.stall(10s); });
  Client client(300ms);
  const FetchResponse r = fetch_one(client, https_url(exchange, "/"));
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.error, HasSubstr("timeout in the TLS handshake with localhost"));
}

TEST(Fetch, RefusedConnectionIsStatusZero) {
  std::string url;
  {
    TestExchange gone(answer(200, {}, ""));
    url = https_url(gone, "/");
  }
  Client client;
  const FetchResponse r = fetch_one(client, url);
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.error, HasSubstr("error connecting to localhost:"));
}

TEST(Fetch, UnknownHostIsStatusZero) {
  Client client(1s);  // without DNS here the lookup may time out instead: either says the step
  const FetchResponse r = fetch_one(client, "https://wsbook-test.invalid/");
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.error, HasSubstr("resolving wsbook-test.invalid"));
}

TEST(Fetch, RefusesAnUntrustedCertificateUnlessInsecure) {
  TestExchange exchange(answer(200, {}, "ok"), TestExchange::CertKind::untrusted);
  Client strict;
  const FetchResponse refused = fetch_one(strict, https_url(exchange, "/"));
  EXPECT_EQ(refused.status, 0);
  EXPECT_THAT(refused.error, HasSubstr("certificate verify failed for localhost"));
  EXPECT_THAT(refused.error, HasSubstr("not trusted"));
  Client insecure(3s, true);
  const FetchResponse accepted = fetch_one(insecure, https_url(exchange, "/"));
  EXPECT_EQ(accepted.status, 200) << accepted.error;
  EXPECT_EQ(accepted.body, "ok");
}

TEST(Fetch, VerifiesAnIpAddressAgainstTheCertificate) {
  TestExchange exchange(answer(200, {}, "by address"));
  Client client;
  const FetchResponse r = fetch_one(client, https_url(exchange, "/", "127.0.0.1"));
  EXPECT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "by address");
}

TEST(Fetch, BadUrlIsStatusZeroAndNeverAnsweredInsideGet) {
  Client client;
  Fetcher fetcher(client.ioc, client.tls, client.options);
  std::vector<FetchResponse> got;
  for (const char* url : {"wss://localhost/ws", "https://localhost:0/", "https://"}) {
    fetcher.get({got.size(), url, 0ms}, [&](FetchResponse r) { got.push_back(std::move(r)); });
  }
  EXPECT_TRUE(got.empty());
  client.run();
  ASSERT_EQ(got.size(), 3u);
  for (const auto& r : got) EXPECT_EQ(r.status, 0);
  EXPECT_THAT(got[0].error, HasSubstr("must start with https://"));
  EXPECT_THAT(got[1].error, HasSubstr("invalid port"));
}

TEST(Fetch, WaitsOutTheDelay) {
  TestExchange exchange(answer(200, {}, "later"));
  Client client;
  Fetcher fetcher(client.ioc, client.tls, client.options);
  std::optional<Clock::time_point> answered;
  const auto start = Clock::now();
  fetcher.get({1, https_url(exchange, "/"), 400ms}, [&](FetchResponse r) {
    EXPECT_EQ(r.status, 200) << r.error;
    answered = Clock::now();
  });
  client.run();
  ASSERT_TRUE(answered);
  EXPECT_GE(*answered - start, 400ms);
}

TEST(Fetch, RefusesABodyOverTheLimit) {
  TestExchange exchange(answer(200, {}, std::string(4096, 'x')));
  Client client;
  const FetchResponse r = fetch_one(client, https_url(exchange, "/"), 1024);
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.error, HasSubstr("larger than the limit of 1024 bytes"));
  EXPECT_EQ(fetch_one(client, https_url(exchange, "/"), 4096).status, 200);
}

TEST(Fetch, CancelledRequestsAreNeverAnswered) {
  std::atomic<int> requests{0};
  TestExchange exchange(silent(3s, &requests));
  Client client;
  Fetcher fetcher(client.ioc, client.tls, client.options);
  int calls = 0;
  fetcher.get({1, https_url(exchange, "/sent"), 0ms}, [&](FetchResponse) { ++calls; });
  fetcher.get({2, https_url(exchange, "/delayed"), 10s}, [&](FetchResponse) { ++calls; });
  // Until the first request is on the wire, waiting for its answer.
  const auto deadline = Clock::now() + 5s;
  while (requests == 0 && Clock::now() < deadline) client.ioc.run_one_for(20ms);
  ASSERT_EQ(requests, 1);
  EXPECT_EQ(fetcher.in_flight(), 2u);
  fetcher.cancel();
  EXPECT_EQ(fetcher.in_flight(), 0u);
  const auto start = Clock::now();
  client.run();
  EXPECT_LT(Clock::now() - start, 1s);  // nothing waits for the silent server or the delay
  EXPECT_EQ(calls, 0);
}

TEST(Fetch, DestroyingTheFetcherAbandonsItsRequests) {
  std::atomic<int> requests{0};
  TestExchange exchange(silent(3s, &requests));
  Client client;
  int calls = 0;
  {
    Fetcher fetcher(client.ioc, client.tls, client.options);
    fetcher.get({1, https_url(exchange, "/"), 0ms}, [&](FetchResponse) { ++calls; });
    fetcher.get({2, https_url(exchange, "/"), 0ms}, [&](FetchResponse) { ++calls; });
    client.ioc.run_for(50ms);  // somewhere between the lookup and the request
  }
  client.run();
  EXPECT_EQ(calls, 0);
}

TEST(Fetch, DoneMayCancelTheOthers) {
  TestExchange exchange([](Connection& c) {
    if (!c.tls_handshake() || c.read_http_request().empty()) return;
    if (c.request_target() == "/slow") c.stall(2s);
    c.respond_http(200, {}, c.request_target());
  });
  Client client;
  Fetcher fetcher(client.ioc, client.tls, client.options);
  std::vector<std::string> bodies;
  fetcher.get({1, https_url(exchange, "/slow"), 0ms}, [&](FetchResponse r) { bodies.push_back(r.body); });
  fetcher.get({2, https_url(exchange, "/fast"), 0ms}, [&](FetchResponse r) {
    bodies.push_back(r.body);
    fetcher.cancel();
  });
  client.run();
  EXPECT_EQ(bodies, std::vector<std::string>{"/fast"});
  EXPECT_EQ(fetcher.in_flight(), 0u);
}

TEST(Fetch, ManyRequestsInFlightAtOnce) {
  TestExchange exchange([](Connection& c) {
    if (!c.tls_handshake() || c.read_http_request().empty()) return;
    c.respond_http(200, {}, c.request_target());
  });
  Client client;
  Fetcher fetcher(client.ioc, client.tls, client.options);
  std::map<std::uint64_t, std::string> bodies;
  for (std::uint64_t id = 1; id <= 5; ++id) {
    fetcher.get({id, https_url(exchange, "/depth?id=" + std::to_string(id)), 0ms}, [&](FetchResponse r) {
      EXPECT_EQ(r.status, 200) << r.error;
      EXPECT_TRUE(bodies.emplace(r.id, r.body).second) << "answered twice: " << r.id;
    });
  }
  EXPECT_EQ(fetcher.in_flight(), 5u);
  client.run();
  ASSERT_EQ(bodies.size(), 5u);
  for (const auto& [id, body] : bodies) EXPECT_EQ(body, "/depth?id=" + std::to_string(id));
  EXPECT_EQ(fetcher.in_flight(), 0u);
  EXPECT_EQ(exchange.connections(), 5);
}

}  // namespace
}  // namespace wsbook::net
