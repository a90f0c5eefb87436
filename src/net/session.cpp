// One WebSocket connection (over TLS, or plain for ws://), in the shape of
// Beast's async-ssl client example: a session object, do_x/on_x handler pairs,
// error codes, timeouts.
#include "session.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>
#include <type_traits>

#include "arrival_clock.h"
#include "client_steps.h"
#include "proxy_tunnel.h"
#include "describe_error.h"

namespace wsbook::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using beast::error_code;

constexpr std::size_t kReadChunk = 64 * 1024;

// One thread runs the io_context, so the session needs no strand: every
// handler of it runs on that thread.
//
// `Stream` is the WebSocket over TLS (wss://) or over the bare TCP stream (ws://).
template <class Stream>
class WsSession final : public Session, public std::enable_shared_from_this<WsSession<Stream>> {
  static constexpr bool kTls = !std::is_same_v<typename Stream::next_layer_type, ClockedTcpStream>;

 public:
  /// `tls...`: the TLS context, for wss:// alone.
  template <class... Tls>
  WsSession(asio::io_context& ioc, const Url& url, const ConnectionOptions& options, SessionListener& listener,
            Tls&... tls)
      : ioc_(ioc), ws_(ioc.get_executor(), tls...), timer_(ioc.get_executor()), pace_timer_(ioc.get_executor()),
        url_(url), options_(options), listener_(listener) {}

  void run() {
    if constexpr (kTls) {
      if (auto err = prepare_client_tls(ws_.next_layer().native_handle(), url_.host, options_.insecure);
          !err.empty()) {
        return end(std::move(err));
      }
    }
    hop_ = first_hop(url_, options_.proxy, options_.no_proxy, options_.proxy_plain);
    // The lookup has no timeout of its own: the timer bounds it, then watches for staleness.
    timer_.expires_after(options_.step_timeout);
    timer_.async_wait([self = this->shared_from_this()](error_code ec) {
      if (!ec && !self->resolved_) self->end("cannot resolve " + self->hop_.host + ": timed out");
    });
    lookup_detached(ioc_, hop_.host, hop_.port, this->weak_from_this(), &WsSession::on_resolve);
  }

  void send(std::string frame) override {
    if (ended_ || closing_) return;
    outbox_.push_back(std::move(frame));
    if (outbox_.size() == 1) do_write();
  }

  void ping() override {
    if (open_ && !ended_ && !closing_ && !ping_pending_) do_ping();
  }

  void close() override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this()] { self->do_close("closed by us"); });
  }

 private:
  // Each handshake step first checks that the session has not ended meanwhile
  // (a timeout, a stop): an ended session must not go on to connect.
  void on_resolve(error_code ec, tcp::resolver::results_type results) {
    resolved_ = true;
    if (ended_) return;
    timer_.cancel();
    if (ec) return end("cannot resolve " + hop_.host + ": " + ec.message());
    beast::get_lowest_layer(ws_).expires_after(options_.step_timeout);
    beast::get_lowest_layer(ws_).async_connect(
        results, beast::bind_front_handler(&WsSession::on_connect, this->shared_from_this()));
  }

  void on_connect(error_code ec, tcp::resolver::results_type::endpoint_type) {
    if (ended_) return;
    if (ec) return end("cannot connect to " + hop_.what() + ": " + ec.message());
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ec);
    if (hop_.proxy == nullptr) return on_tunnel({});
    open_tunnel(beast::get_lowest_layer(ws_), *hop_.proxy, url_, options_.step_timeout,
                [self = this->shared_from_this()](std::string error) { self->on_tunnel(std::move(error)); });
  }

  // Connected to the venue, or through the proxy's tunnel to it: TLS starts (wss://).
  void on_tunnel(std::string error) {
    if (ended_) return;
    if (!error.empty()) return end(std::move(error));
    if constexpr (kTls) {
      beast::get_lowest_layer(ws_).expires_after(options_.step_timeout);
      ws_.next_layer().async_handshake(
          asio::ssl::stream_base::client,
          beast::bind_front_handler(&WsSession::on_tls_handshake, this->shared_from_this()));
    } else {
      do_handshake();
    }
  }

  void on_tls_handshake(error_code ec) {
    if (ended_) return;
    if constexpr (kTls) {
      if (ec) return end(describe_tls_error(ec, ws_.next_layer().native_handle(), url_.host));
    }
    do_handshake();
  }

  void do_handshake() {
    // From here the WebSocket stream keeps its own timeouts.
    beast::get_lowest_layer(ws_).expires_never();
    configure_websocket();
    ws_.async_handshake(response_, host_header(url_), url_.target,
                        beast::bind_front_handler(&WsSession::on_handshake, this->shared_from_this()));
  }

  void configure_websocket() {
    // Handshake and close are bounded here; staleness and pings are ours (on_stale_tick).
    ws_.set_option(websocket::stream_base::timeout{options_.step_timeout, websocket::stream_base::none(), false});
    websocket::permessage_deflate deflate;
    deflate.client_enable = true;
    ws_.set_option(deflate);
    ws_.read_message_max(0);  // no Beast limit: on_read enforces max_frame
    ws_.set_option(websocket::stream_base::decorator([this](websocket::request_type& req) {
      req.set(http::field::user_agent, user_agent());
      for (const auto& header : options_.headers) {
        const auto colon = header.find(':');
        const auto value_start = header.find_first_not_of(' ', colon + 1);
        req.set(header.substr(0, colon), value_start == std::string::npos ? "" : header.substr(value_start));
      }
    }));
  }

  void on_handshake(error_code ec) {
    if (ended_) return;
    if (ec) return end(describe_handshake_error(ec, response_));
    on_open();
  }

  void on_open() {
    open_ = true;
    listener_.on_open();
    last_frame_ = std::chrono::steady_clock::now();
    arm_stale_timer();
    do_read();
  }

  // One write at a time: Beast allows one, beside the read and the pings.
  void do_write() {
    ws_.text(true);
    ws_.async_write(asio::buffer(outbox_.front()),
                    beast::bind_front_handler(&WsSession::on_write, this->shared_from_this()));
  }

  void on_write(error_code ec, std::size_t) {
    if (ended_ || closing_) return;
    if (ec) return end("cannot send a frame: " + ec.message());
    outbox_.pop_front();
    if (outbox_.empty()) return;
    if (options_.send_spacing.count() == 0) return do_write();
    // Under the venue's message rate: the next frame waits its turn.
    pace_timer_.expires_after(options_.send_spacing);
    pace_timer_.async_wait([self = this->shared_from_this()](error_code e) {
      if (!e && !self->ended_ && !self->closing_) self->do_write();
    });
  }

  // Reads a message piece by piece so the size cap is ours to enforce and to
  // explain; Beast's own limit would end in a close handshake that hides why.
  void do_read() {
    ws_.async_read_some(buffer_, kReadChunk,
                        beast::bind_front_handler(&WsSession::on_read, this->shared_from_this()));
  }

  void on_read(error_code ec, std::size_t) {
    if (ec) return end(describe_read_error(ec, ws_.reason(), options_));
    if (closing_) return;
    if (buffer_.size() > options_.max_frame) {
      return end("frame larger than the " + std::to_string(options_.max_frame >> 20) + " MiB cap");
    }
    if (!ws_.is_message_done()) return do_read();
    ++frames_;
    const auto data = buffer_.data();
    const std::int64_t received_us = beast::get_lowest_layer(ws_).rate_policy().last_read_us();
    const bool keep =
        listener_.on_frame({static_cast<const char*>(data.data()), data.size()}, received_us, ws_.got_binary());
    buffer_.consume(buffer_.size());
    if (!keep) return do_close("dropped the connection to resync");
    do_read();
  }

  // A timer per connection, not per frame: it wakes eight times per stale
  // period, pings once the feed has been quiet for half of it, and ends it when
  // it is over. Frames are counted, not timed: a clock read per frame costs more.
  void arm_stale_timer() {
    timer_.expires_after(options_.stale_timeout / 8);
    timer_.async_wait([self = this->shared_from_this()](error_code ec) {
      if (!ec && !self->ended_ && !self->closing_) self->on_stale_tick();
    });
  }

  void on_stale_tick() {
    const auto now = std::chrono::steady_clock::now();
    if (frames_ != frames_at_tick_) {
      frames_at_tick_ = frames_;
      last_frame_ = now;
    }
    const auto idle = now - last_frame_;
    if (idle >= options_.stale_timeout) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.1f", static_cast<double>(options_.stale_timeout.count()) / 1000);
      return end(std::string("no frame for ") + seconds + " s: the connection is stale");
    }
    if (idle >= options_.stale_timeout / 2 && !ping_pending_) do_ping();
    arm_stale_timer();
  }

  // Our own keep-alive pings rather than Beast's: each of our operations holds
  // the session, so none can outlive the stream it writes to.
  void do_ping() {
    ping_pending_ = true;
    ws_.async_ping({}, [self = this->shared_from_this()](error_code) { self->ping_pending_ = false; });
  }

  void do_close(const char* why) {
    if (ended_ || closing_) return;
    closing_ = true;
    close_reason_ = why;
    if (!open_) {
      beast::get_lowest_layer(ws_).close();
      return end(why);
    }
    ws_.async_close(websocket::close_code::normal,
                    beast::bind_front_handler(&WsSession::on_close, this->shared_from_this()));
  }

  void on_close(error_code) { end(close_reason_); }

  void end(std::string reason) { end(SessionEnd{std::move(reason), 0, std::nullopt}); }

  void end(SessionEnd e) {
    if (ended_) return;
    ended_ = true;
    timer_.cancel();
    pace_timer_.cancel();
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    listener_.on_end(e);
  }

  asio::io_context& ioc_;
  Stream ws_;
  asio::steady_timer timer_;
  asio::steady_timer pace_timer_;  // between two frames we send, under the venue's rate
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;  // frames to send, the one being written first
  websocket::response_type response_;
  Url url_;
  const ConnectionOptions& options_;
  SessionListener& listener_;
  std::chrono::steady_clock::time_point last_frame_;  // as seen by the stale timer
  std::uint64_t frames_ = 0, frames_at_tick_ = 0;
  std::string close_reason_;
  Hop hop_;  // where the session connects first: the venue or its proxy
  bool resolved_ = false, open_ = false, closing_ = false, ended_ = false, ping_pending_ = false;
};

}  // namespace

std::string configure_tls(asio::ssl::context& ctx, const ConnectionOptions& options) {
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  error_code ec;
  if (options.insecure) {
    ctx.set_verify_mode(asio::ssl::verify_none, ec);
    return {};
  }
  ctx.set_verify_mode(asio::ssl::verify_peer, ec);
  if (!options.cafile.empty()) {
    ctx.load_verify_file(options.cafile, ec);
    if (ec) return "cannot load CA file " + options.cafile + ": " + ec.message();
  } else {
    ctx.set_default_verify_paths(ec);
    if (ec) return "cannot load the system trust store: " + ec.message();
  }
  return {};
}

std::shared_ptr<Session> start_session(asio::io_context& ioc, asio::ssl::context& ctx, const Url& url,
                                       const ConnectionOptions& options, SessionListener& listener) {
  if (!url.tls) {
    auto plain = std::make_shared<WsSession<websocket::stream<ClockedTcpStream>>>(ioc, url, options, listener);
    plain->run();
    return plain;
  }
  using TlsStream = websocket::stream<beast::ssl_stream<ClockedTcpStream>>;
  auto session = std::make_shared<WsSession<TlsStream>>(ioc, url, options, listener, ctx);
  session->run();
  return session;
}

}  // namespace wsbook::net
