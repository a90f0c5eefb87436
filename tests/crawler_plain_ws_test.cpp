// ws:// (no TLS): a local relay's plain WebSocket, the book as over wss://,
// with a warning that the feed is not encrypted.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/socket.h>

#include <string>
#include <thread>
#include <vector>

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
  /// Sends `frames` (made before it starts, so that nothing is shared with the test).
  explicit PlainWsServer(std::vector<std::string> frames)
      : acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}), frames_(std::move(frames)) {
    thread_ = std::thread([this] {
      boost::system::error_code ec;
      tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      websocket::stream<tcp::socket> ws(std::move(socket));
      ws.accept(ec);
      for (std::size_t i = 0; i < frames_.size() && !ec; ++i) ws.write(asio::buffer(frames_[i]), ec);
      boost::beast::flat_buffer buffer;
      while (!ec) ws.read(buffer, ec);
    });
  }
  ~PlainWsServer() {
    // close() would not wake an accept() blocked in the other thread; shutdown() does.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
  }
  /// "ws://127.0.0.1:<port><target>".
  std::string url(const std::string& target) const {
    return "ws://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + target;
  }

 private:
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  std::vector<std::string> frames_;
  std::thread thread_;
};

TEST(PlainWs, TheBookComesOverWsWithAWarning) {
  TrueBook book;
  book.fill(650000, 20);
  std::vector<std::string> frames = {book.initial_frame()};
  std::uint32_t seed = 7;
  for (int i = 0; i < 5; ++i) frames.push_back(book.random_update(seed));
  PlainWsServer server(std::move(frames));
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
