// wsbook_flood_server: a local TLS WebSocket server that pushes a pre-built
// Gemini v1 stream as fast as TLS allows, for the end-to-end benchmark.
// Prints `PORT <n>` as its first stdout line once it listens.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "flood_frames.h"
#include "support/test_certs.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using beast::error_code;
using Clock = std::chrono::steady_clock;

constexpr auto kHeartbeatEvery = std::chrono::seconds(5);

/// Command-line settings.
struct Options {
  unsigned short port = 0;
  std::string ca_out;
  int levels = 200;
  std::uint64_t frames = 200'000;
  double idle_seconds = 0;
  int connections = 0;  // 0: serve forever
  std::uint64_t seed = 1;
};

/// What every connection sends: the whole flood, or (idle mode) the initial frame's payload.
struct Stream {
  std::string wire;
  std::string initial;
  std::chrono::milliseconds idle{0};
};

void report(int index, const char* what, const error_code& ec) {
  std::fprintf(stderr, "flood_server: connection %d: %s: %s\n", index, what, ec.message().c_str());
}

/// One connection: TLS, WebSocket upgrade (any target), the stream, close 1000.
class FloodSession : public std::enable_shared_from_this<FloodSession> {
 public:
  FloodSession(tcp::socket socket, ssl::context& ctx, const Stream& stream, int index)
      : ws_(std::move(socket), ctx), timer_(ws_.get_executor()), stream_(stream), index_(index) {}

  void run() {
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ignored);
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(10));
    ws_.next_layer().async_handshake(ssl::stream_base::server,
                                     beast::bind_front_handler(&FloodSession::on_tls, shared_from_this()));
  }

 private:
  void on_tls(error_code ec) {
    if (ec) return report(index_, "TLS handshake", ec);
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout{std::chrono::seconds(10), websocket::stream_base::none(), false});
    ws_.async_accept(beast::bind_front_handler(&FloodSession::on_accept, shared_from_this()));
  }

  void on_accept(error_code ec) {
    if (ec) return report(index_, "WebSocket accept", ec);
    if (stream_.idle.count() > 0) return start_idle();
    // The frames are already encoded: straight onto the TLS stream, in TLS-record-sized writes.
    asio::async_write(ws_.next_layer(), asio::buffer(stream_.wire),
                      beast::bind_front_handler(&FloodSession::on_flooded, shared_from_this()));
  }

  void on_flooded(error_code ec, std::size_t) {
    if (ec) return report(index_, "sending the flood", ec);
    close();
  }

  void close() {
    timer_.cancel();
    ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](error_code ec) {
      if (ec && ec != asio::error::operation_aborted) report(self->index_, "close", ec);
    });
  }

  // Idle mode goes through Beast alone, so a client's close frame is read and answered.
  void start_idle() {
    deadline_ = Clock::now() + stream_.idle;
    ws_.text(true);
    send(stream_.initial);
    ws_.async_read(inbox_, [self = shared_from_this()](error_code, std::size_t) { self->timer_.cancel(); });
  }

  void send(std::string frame) {
    outgoing_ = std::move(frame);
    ws_.async_write(asio::buffer(outgoing_), beast::bind_front_handler(&FloodSession::on_sent, shared_from_this()));
  }

  void on_sent(error_code ec, std::size_t) {
    if (ec) {
      timer_.cancel();
      return;
    }
    timer_.expires_at(std::min(Clock::now() + kHeartbeatEvery, deadline_));
    timer_.async_wait([self = shared_from_this()](error_code wait_ec) {
      if (wait_ec) return;
      if (Clock::now() >= self->deadline_) return self->close();
      self->send(wsbook::bench::heartbeat_frame(++self->sequence_));
    });
  }

  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  asio::steady_timer timer_;
  const Stream& stream_;
  int index_;
  beast::flat_buffer inbox_;
  std::string outgoing_;
  std::uint64_t sequence_ = 0;
  Clock::time_point deadline_;
};

/// Accepts connections on 127.0.0.1 until `limit` were accepted (0: forever).
class Server {
 public:
  Server(asio::io_context& ioc, ssl::context& ctx, const Stream& stream, unsigned short port, int limit)
      : acceptor_(ioc, {asio::ip::make_address("127.0.0.1"), port}), ctx_(ctx), stream_(stream), limit_(limit) {}

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  void accept() {
    acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
      if (ec) return report(accepted_, "accept", ec);
      std::make_shared<FloodSession>(std::move(socket), ctx_, stream_, accepted_)->run();
      if (++accepted_ != limit_) accept();
    });
  }

 private:
  tcp::acceptor acceptor_;
  ssl::context& ctx_;
  const Stream& stream_;
  int limit_;
  int accepted_ = 0;
};

int parse(int argc, char** argv, Options& o) {
  CLI::App app{"TLS WebSocket server flooding a synthetic Gemini v1 stream (wsbook's end-to-end benchmark)"};
  app.add_option("--port", o.port, "port on 127.0.0.1 (0: ephemeral)");
  app.add_option("--ca-out", o.ca_out, "write the CA certificate (PEM) that clients must trust here");
  app.add_option("--levels", o.levels, "levels in the initial book")->check(CLI::Range(2, 10'000'000));
  app.add_option("--frames", o.frames, "update frames after the initial one");
  app.add_option("--idle", o.idle_seconds, "send the initial frame, then only heartbeats (every 5 s) for SECONDS");
  app.add_option("--connections", o.connections, "exit after serving this many connections (0: never)");
  app.add_option("--seed", o.seed, "random seed of the stream");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return -1;
}

ssl::context make_tls(const wsbook::testing::TestCerts& certs) {
  ssl::context ctx(ssl::context::tls_server);
  ctx.use_certificate_chain(asio::buffer(certs.cert_pem));
  ctx.use_private_key(asio::buffer(certs.key_pem), ssl::context::pem);
  return ctx;
}

Stream make_stream(const Options& o) {
  Stream s;
  s.idle = std::chrono::milliseconds(static_cast<std::int64_t>(o.idle_seconds * 1000));
  if (s.idle.count() > 0) s.initial = wsbook::bench::FloodBook(o.levels, o.seed).initial_frame();
  else s.wire = wsbook::bench::build_flood(o.levels, o.frames, o.seed);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (const int code = parse(argc, argv, options); code >= 0) return code;
  const auto certs = wsbook::testing::make_test_certs();
  if (!options.ca_out.empty() && !(std::ofstream(options.ca_out) << certs.ca_pem)) {
    std::cerr << "flood_server: cannot write " << options.ca_out << "\n";
    return 1;
  }
  const Stream stream = make_stream(options);  // before listening: the flood costs no CPU while it is sent
  asio::io_context ioc{1};
  ssl::context ctx = make_tls(certs);
  Server server(ioc, ctx, stream, options.port, options.connections);
  std::cout << "PORT " << server.port() << std::endl;
  server.accept();
  ioc.run();
  return 0;
}
