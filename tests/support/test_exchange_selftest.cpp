// Proves the test exchange works, with a small synchronous Beast client that connects the way the
// crawler does: TLS verified against the test CA, SNI and host name "localhost".

#include "support/test_exchange.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>

namespace wsbook::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
namespace websocket = beast::websocket;
using beast::error_code;
using namespace std::chrono_literals;

constexpr const char* kTarget = "/v1/marketdata/BTCUSD?heartbeat=true";

class Client {
 public:
  explicit Client(const TestExchange& exchange, bool deflate = true) : exchange_(exchange), deflate_(deflate) {
    ctx_.load_verify_file(exchange.ca_file());
  }

  /// TLS + WebSocket handshake; res receives the server's HTTP response.
  error_code connect(websocket::response_type& res) {
    error_code ec;
    tcp_connect(ec);
    if (!ec) ws_.next_layer().handshake(ssl::stream_base::client, ec);
    if (ec) return ec;
    websocket::permessage_deflate pmd;
    pmd.client_enable = deflate_;
    ws_.set_option(pmd);
    ws_.read_message_max(64u << 20);
    ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
      req.set(http::field::user_agent, "selftest-agent");
      req.set("X-Selftest", "yes");
    }));
    // Async because Beast 1.74's synchronous handshake leaves res empty when the upgrade is declined.
    ws_.async_handshake(res, "localhost", kTarget, [&](error_code e) { ec = e; });
    ioc_.run();
    ioc_.restart();
    return ec;
  }
  error_code connect() {
    websocket::response_type res;
    return connect(res);
  }
  /// Only the TCP connection, no TLS.
  void tcp_connect(error_code& ec) {
    net::ip::tcp::endpoint server(net::ip::make_address("127.0.0.1"), exchange_.port());
    beast::get_lowest_layer(ws_).connect(server, ec);
    SSL_set_tlsext_host_name(ws_.next_layer().native_handle(), "localhost");
    ws_.next_layer().set_verify_mode(ssl::verify_peer);
    ws_.next_layer().set_verify_callback(ssl::host_name_verification("localhost"));
  }
  /// The next message, or the error that ended the connection.
  std::string read(error_code& ec) {
    beast::flat_buffer buffer;
    ws_.read(buffer, ec);
    return beast::buffers_to_string(buffer.data());
  }
  websocket::stream<beast::ssl_stream<net::ip::tcp::socket>>& ws() { return ws_; }

 private:
  const TestExchange& exchange_;
  bool deflate_;
  net::io_context ioc_;
  ssl::context ctx_{ssl::context::tls_client};
  websocket::stream<beast::ssl_stream<net::ip::tcp::socket>> ws_{ioc_, ctx_};
};

TEST(TestExchange, HandshakeTrafficAndPoliteClose) {
  TestExchange exchange([](Connection& c) {
    ASSERT_TRUE(c.accept());
    EXPECT_EQ(c.index(), 0);
    EXPECT_EQ(c.request_target(), kTarget);
    EXPECT_EQ(c.request_header("user-agent"), "selftest-agent");
    EXPECT_EQ(c.request_header("X-Selftest"), "yes");
    EXPECT_EQ(c.request_header("X-Absent"), "");
    EXPECT_TRUE(c.deflate_negotiated());
    auto subscribe = c.read_text(5s);
    ASSERT_TRUE(subscribe.has_value());
    EXPECT_TRUE(c.ping());
    EXPECT_TRUE(c.send_text("echo:" + *subscribe));
    c.close(4001, "bye");
  });
  Client client(exchange);
  ASSERT_FALSE(client.connect());
  int pings = 0;
  client.ws().control_callback([&](websocket::frame_type kind, beast::string_view) {
    pings += kind == websocket::frame_type::ping;
  });
  client.ws().write(net::buffer(std::string("subscribe")));
  error_code ec;
  EXPECT_EQ(client.read(ec), "echo:subscribe");
  EXPECT_FALSE(ec);
  EXPECT_EQ(pings, 1);
  client.read(ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(client.ws().reason().code, 4001);
  EXPECT_EQ(client.ws().reason().reason, "bye");
  EXPECT_EQ(exchange.connections(), 1);
}

TEST(TestExchange, SendsAFiveMegabyteFrameWithAndWithoutDeflate) {
  std::string big;
  for (int i = 0; big.size() < 5'000'000; ++i) big += "[\"" + std::to_string(6500 + i * 0.01) + "\",\"1.5\"],";
  for (bool deflate : {true, false}) {
    TestExchange exchange([&](Connection& c) {
      ASSERT_TRUE(c.accept());
      EXPECT_EQ(c.deflate_negotiated(), deflate);
      EXPECT_TRUE(c.send_text(big));
      EXPECT_TRUE(c.wait_closed(10s));
    });
    Client client(exchange, deflate);
    ASSERT_FALSE(client.connect());
    error_code ec;
    std::string got = client.read(ec);
    EXPECT_FALSE(ec);
    EXPECT_TRUE(got == big) << got.size() << " bytes instead of " << big.size();
    client.ws().close(websocket::close_code::normal, ec);
  }
}

TEST(TestExchange, DropAndGarbageAreErrorsNotCloses) {
  TestExchange exchange([](Connection& c) {
    ASSERT_TRUE(c.accept());
    if (c.index() == 0) c.drop();
    else EXPECT_TRUE(c.send_raw_bytes("\xff\xfe not a websocket frame"));
    c.stall(1s);
  });
  for (int i = 0; i < 2; ++i) {
    Client client(exchange);
    ASSERT_FALSE(client.connect());
    error_code ec;
    client.read(ec);
    EXPECT_TRUE(ec) << i;
    EXPECT_NE(ec, websocket::error::closed) << i;
  }
}

TEST(TestExchange, TooManyRequestsIsADeclinedUpgrade) {
  TestExchange exchange([](Connection& c) {
    ASSERT_TRUE(c.tls_handshake());
    std::string request = c.read_http_request();
    EXPECT_EQ(request.rfind(std::string("GET ") + kTarget + " HTTP/1.1\r\n", 0), 0u) << request;
    c.respond_http(429, {{"Retry-After", "7"}}, "slow down");
  });
  Client client(exchange);
  websocket::response_type res;
  EXPECT_EQ(client.connect(res), websocket::error::upgrade_declined);
  EXPECT_EQ(res.result_int(), 429u);
  EXPECT_EQ(res["Retry-After"], "7");
}

TEST(TestExchange, UntrustedCertFailsVerification) {
  std::atomic<bool> accepted{true};
  {
    TestExchange exchange([&](Connection& c) { accepted = c.accept(); }, TestExchange::CertKind::untrusted);
    Client client(exchange);
    error_code ec = client.connect();
    ASSERT_EQ(ec.category(), net::error::get_ssl_category()) << ec.message();
    EXPECT_EQ(ERR_GET_REASON(static_cast<unsigned long>(ec.value())), SSL_R_CERTIFICATE_VERIFY_FAILED);
  }
  EXPECT_FALSE(accepted);
}

TEST(TestExchange, StallStillAnswersPings) {
  std::atomic<std::chrono::steady_clock::rep> stall_end{0};
  TestExchange exchange([&](Connection& c) {
    ASSERT_TRUE(c.accept());
    c.stall(1s);
    stall_end = std::chrono::steady_clock::now().time_since_epoch().count();
    c.close(1000, "");
  });
  Client client(exchange);
  ASSERT_FALSE(client.connect());
  std::chrono::steady_clock::rep pong_at = 0;
  client.ws().control_callback([&](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::pong) pong_at = std::chrono::steady_clock::now().time_since_epoch().count();
  });
  client.ws().ping({});
  error_code ec;
  client.read(ec);
  EXPECT_EQ(ec, websocket::error::closed);
  ASSERT_GT(pong_at, 0);
  EXPECT_LT(pong_at, stall_end.load());  // answered during the stall, not when close() ran the loop again
}

TEST(TestExchange, WaitClosedSeesTheClientClose) {
  TestExchange exchange([](Connection& c) {
    ASSERT_TRUE(c.accept());
    EXPECT_TRUE(c.wait_closed(5s));
    EXPECT_FALSE(c.send_text("too late"));
  });
  Client client(exchange);
  ASSERT_FALSE(client.connect());
  error_code ec;
  client.ws().close(websocket::close_code::normal, ec);
  EXPECT_FALSE(ec);
}

TEST(TestExchange, DestructorInterruptsLongWaits) {
  auto exchange = std::make_unique<TestExchange>([](Connection& c) {
    if (c.index() == 0) c.wait_closed(60s);  // a bare TCP connection
    if (c.index() == 1 && c.accept()) c.stall(60s);
    if (c.index() == 2 && c.accept()) c.read_text(60s);
  });
  Client bare(*exchange), stalled(*exchange), reading(*exchange);
  error_code ec;
  bare.tcp_connect(ec);
  ASSERT_FALSE(ec);
  ASSERT_TRUE(exchange->wait_for_connections(1, 5s));
  ASSERT_FALSE(stalled.connect());
  ASSERT_FALSE(reading.connect());
  EXPECT_EQ(exchange->connections(), 3);
  auto start = std::chrono::steady_clock::now();
  exchange.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

}  // namespace
}  // namespace wsbook::testing
