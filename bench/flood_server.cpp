// wsbook_flood_server: a local TLS WebSocket server that pushes a pre-built
// Gemini v1 stream as fast as TLS allows, for the end-to-end benchmark; or, with
// `--venue gemini-v2`, reads each connection's subscribe frame and floods its
// symbols' l2 streams (bench/flood_v2.h). Prints `PORT <n>` as its first stdout
// line once it listens.
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
#include <optional>

#include "flood_frames.h"
#include "flood_v2.h"
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
constexpr auto kV2HeartbeatEvery = std::chrono::seconds(1);
constexpr std::size_t kV2Chunk = 256 * 1024;  // bytes per write of a v2 flood: copied while the kernel drains the last

/// Command-line settings.
struct Options {
  unsigned short port = 0;
  std::string ca_out;
  std::string venue = "gemini-v1";
  int levels = 200;
  std::uint64_t frames = 200'000;
  std::optional<std::uint64_t> frames_per_symbol;  // v2: instead of --frames, this many per symbol
  std::string symbols_file;                        // v2: streams encoded before listening
  std::string log_connects;
  double idle_seconds = 0;
  int connections = 0;  // 0: serve forever
  std::uint64_t seed = 1;
};

/// What every v1 connection sends: the whole flood, or (idle mode) the initial frame's payload.
struct Stream {
  std::string wire;
  std::string initial;
  std::chrono::milliseconds idle{0};
};

/// What the sessions share: the settings, v1's stream, v2's streams and the connect log.
struct Shared {
  const Options& options;
  Stream v1;
  wsbook::bench::V2Library v2;
  wsbook::bench::ConnectLog log;

  /// Whether this is a gemini-v2 server.
  bool is_v2() const { return options.venue == "gemini-v2"; }

  /// A v2 connection's flood for `symbols`: --frames-per-symbol each, or --frames in all.
  wsbook::bench::V2Flood v2_flood(const std::vector<std::string>& symbols) {
    const std::uint64_t n = symbols.size();
    const std::uint64_t per = options.frames_per_symbol ? *options.frames_per_symbol
                              : n == 0                  ? 0
                                                        : (options.frames + n - 1) / n;
    std::vector<const wsbook::bench::V2SymbolStream*> streams;
    for (const auto& s : symbols) streams.push_back(&v2.stream(s, per));
    return {std::move(streams), options.frames_per_symbol ? per * n : options.frames};
  }
};

void report(int index, const char* what, const error_code& ec) {
  std::fprintf(stderr, "flood_server: connection %d: %s: %s\n", index, what, ec.message().c_str());
}

/// One connection: TLS, WebSocket upgrade (any target), the stream, close 1000.
class FloodSession : public std::enable_shared_from_this<FloodSession> {
 public:
  FloodSession(tcp::socket socket, ssl::context& ctx, Shared& shared, int index)
      : ws_(std::move(socket), ctx), timer_(ws_.get_executor()), shared_(shared), stream_(shared.v1), index_(index) {}

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
    if (shared_.is_v2()) return read_subscribe();
    if (stream_.idle.count() > 0) return start_idle();
    // The frames are already encoded: straight onto the TLS stream, in TLS-record-sized writes.
    asio::async_write(ws_.next_layer(), asio::buffer(stream_.wire),
                      beast::bind_front_handler(&FloodSession::on_flooded, shared_from_this()));
  }

  void on_flooded(error_code ec, std::size_t) {
    if (ec) return report(index_, "sending the flood", ec);
    close();
  }

  // v2: the flood starts once the client said which symbols it wants.
  void read_subscribe() {
    ws_.async_read(inbox_, [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec) return report(self->index_, "reading the subscribe frame", ec);
      const auto symbols = wsbook::bench::subscribed_symbols(self->take_message());
      if (symbols.empty()) return self->read_subscribe();
      self->shared_.log.subscribe(self->index_, symbols.size());
      self->flood_.emplace(self->shared_.v2_flood(symbols));
      self->send_chunk();
    });
  }

  std::string take_message() {
    std::string text = beast::buffers_to_string(inbox_.data());
    inbox_.consume(inbox_.size());
    return text;
  }

  // Raw, like v1's flood, but a chunk at a time: the frames are copied out of the
  // symbols' streams while the previous chunk drains.
  void send_chunk() {
    if (!flood_->next_chunk(chunk_, kV2Chunk)) return on_v2_flooded();
    asio::async_write(ws_.next_layer(), asio::buffer(chunk_), [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec) return report(self->index_, "sending the flood", ec);
      self->send_chunk();
    });
  }

  // With --idle the connection stays open, with a heartbeat a second, so that a client
  // with many connections does not see this one end before all its books are in.
  void on_v2_flooded() {
    if (stream_.idle.count() <= 0) return close();
    deadline_ = Clock::now() + stream_.idle;
    ws_.text(true);
    read_v2();
    arm_heartbeat();
  }

  void read_v2() {
    ws_.async_read(inbox_, [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec) {
        self->timer_.cancel();
        return;
      }
      const auto symbols = wsbook::bench::subscribed_symbols(self->take_message());
      if (!symbols.empty()) self->shared_.log.subscribe(self->index_, symbols.size());
      self->read_v2();
    });
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
    arm_heartbeat();
  }

  void arm_heartbeat() {
    timer_.expires_at(std::min(Clock::now() + (shared_.is_v2() ? kV2HeartbeatEvery : kHeartbeatEvery), deadline_));
    timer_.async_wait([self = shared_from_this()](error_code wait_ec) {
      if (wait_ec) return;
      if (Clock::now() >= self->deadline_) return self->close();
      self->send(self->heartbeat());
    });
  }

  std::string heartbeat() {
    if (!shared_.is_v2()) return wsbook::bench::heartbeat_frame(++sequence_);
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return wsbook::bench::v2_heartbeat_frame(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  }

  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  asio::steady_timer timer_;
  Shared& shared_;
  const Stream& stream_;
  int index_;
  beast::flat_buffer inbox_;
  std::string outgoing_;
  std::uint64_t sequence_ = 0;
  Clock::time_point deadline_;
  std::optional<wsbook::bench::V2Flood> flood_;
  std::string chunk_;
};

/// Accepts connections on 127.0.0.1 until `limit` were accepted (0: forever).
class Server {
 public:
  Server(asio::io_context& ioc, ssl::context& ctx, Shared& shared, unsigned short port, int limit)
      : acceptor_(ioc, {asio::ip::make_address("127.0.0.1"), port}), ctx_(ctx), shared_(shared), limit_(limit) {}

  unsigned short port() const { return acceptor_.local_endpoint().port(); }

  void accept() {
    acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
      if (ec) return report(accepted_, "accept", ec);
      shared_.log.connect(accepted_);
      std::make_shared<FloodSession>(std::move(socket), ctx_, shared_, accepted_)->run();
      if (++accepted_ != limit_) accept();
    });
  }

 private:
  tcp::acceptor acceptor_;
  ssl::context& ctx_;
  Shared& shared_;
  int limit_;
  int accepted_ = 0;
};

int parse(int argc, char** argv, Options& o) {
  CLI::App app{"TLS WebSocket server flooding a synthetic Gemini stream (wsbook's end-to-end benchmark)"};
  app.add_option("--port", o.port, "port on 127.0.0.1 (0: ephemeral)");
  app.add_option("--ca-out", o.ca_out, "write the CA certificate (PEM) that clients must trust here");
  app.add_option("--venue", o.venue, "gemini-v1 (one book, the URL names it) or gemini-v2 (the subscribe frame's symbols)")
      ->check(CLI::IsMember({"gemini-v1", "gemini-v2"}));
  app.add_option("--levels", o.levels, "levels in the initial book (v2: of each symbol)")->check(CLI::Range(2, 10'000'000));
  app.add_option("--frames", o.frames, "update frames after the initial one (v2: per connection, round-robin)");
  app.add_option("--frames-per-symbol", o.frames_per_symbol, "v2: update frames of each symbol, instead of --frames");
  app.add_option("--symbols-file", o.symbols_file, "v2: encode these symbols' streams (one a line) before listening");
  app.add_option("--log-connects", o.log_connects, "append a line per connection and per subscribe frame (steady ms)");
  app.add_option("--idle", o.idle_seconds,
                 "v1: send the initial frame, then only heartbeats (every 5 s) for SECONDS; "
                 "v2: after the flood, keep the connection open with a heartbeat a second for SECONDS");
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
  if (o.venue == "gemini-v2") return s;
  if (s.idle.count() > 0) s.initial = wsbook::bench::FloodBook(o.levels, o.seed).initial_frame();
  else s.wire = wsbook::bench::build_flood(o.levels, o.frames, o.seed);
  return s;
}

// The streams of --symbols-file, encoded for one connection of them all, before listening.
bool prebuild_v2(Shared& shared) {
  const Options& o = shared.options;
  if (o.symbols_file.empty()) return true;
  std::ifstream in(o.symbols_file);
  std::vector<std::string> symbols;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) symbols.push_back(line);
  }
  if (!in.eof() || symbols.empty()) return false;
  shared.v2_flood(symbols);
  return true;
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
  // Before listening: the flood costs no CPU while it is sent.
  Shared shared{options, make_stream(options), {options.levels, options.seed}, wsbook::bench::ConnectLog(options.log_connects)};
  if (!shared.log.ok()) return std::cerr << "flood_server: cannot open " << options.log_connects << "\n", 1;
  if (!prebuild_v2(shared)) return std::cerr << "flood_server: cannot read symbols from " << options.symbols_file << "\n", 1;
  asio::io_context ioc{1};
  ssl::context ctx = make_tls(certs);
  Server server(ioc, ctx, shared, options.port, options.connections);
  std::cout << "PORT " << server.port() << std::endl;
  server.accept();
  ioc.run();
  return 0;
}
