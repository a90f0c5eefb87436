// ws:// (no TLS): a local relay's plain WebSocket, the book as over wss://,
// with a warning that the feed is not encrypted.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "crawl_harness.h"

namespace wsbook::testing {
namespace {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

// One plain WebSocket connection on 127.0.0.1: the book's initial frame and `updates` updates, then it
// reads until the client leaves.
class PlainWsServer {
 public:
  PlainWsServer(TrueBook& book, int updates) : acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this, &book, updates] {
      boost::system::error_code ec;
      tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      websocket::stream<tcp::socket> ws(std::move(socket));
      ws.accept(ec);
      std::uint32_t seed = 7;
      if (!ec) ws.write(asio::buffer(book.initial_frame()), ec);
      for (int i = 0; i < updates && !ec; ++i) ws.write(asio::buffer(book.random_update(seed)), ec);
      boost::beast::flat_buffer buffer;
      while (!ec) ws.read(buffer, ec);
    });
  }
  ~PlainWsServer() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    thread_.join();
  }
  /// "ws://127.0.0.1:<port><target>".
  std::string url(const std::string& target) const {
    return "ws://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + target;
  }

 private:
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::thread thread_;
};

TEST(PlainWs, TheBookComesOverWsWithAWarning) {
  TrueBook book;
  book.fill(650000, 20);
  PlainWsServer server(book, 5);
  CrawlOptions options;
  options.connection.url = server.url(kTarget);
  options.connection.step_timeout = 3s;
  options.flush_interval = 1ms;
  options.handle_signals = false;
  CrawlRun run(options, kV1);
  ASSERT_TRUE(run.wait_lines(6, 10s));
  EXPECT_EQ(run.stop(), 0);
  const auto lines = run.lines();
  ASSERT_EQ(lines.size(), 6u);
  for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(line_body(lines[i]), book.history()[i]);
  EXPECT_THAT(run.log_text(), HasSubstr("ws://127.0.0.1:"));
  EXPECT_THAT(run.log_text(), HasSubstr("is NOT encrypted"));
}

}  // namespace
}  // namespace wsbook::testing
