// wsbook_discard_client: reads a wss:// stream and throws every message away.
// Same stack and read pattern as src/net/session.cpp (Beast async websocket over
// ssl_stream<ClockedTcpStream>, 64 KiB async_read_some until the message is done), no
// JSON: the baseline cost of the transport that wsbook's own work is compared to.
//
// Its Beast options and timers mirror session.cpp's; keep them in step. (With
// Beast's own idle timeout, every async_read_some re-arms a timer, and when that
// is the reactor's earliest timer each read costs a timerfd_settime(2) as well.)
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>

#include "net/arrival_clock.h"
#include "wsbook/url.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using beast::error_code;

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr auto kStepTimeout = std::chrono::seconds(10);
constexpr auto kStaleTick = std::chrono::milliseconds(7500);  // wsbook: stale timeout / 4

/// Counts what arrived on one connection.
struct Tally {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  std::string error;  ///< empty if the server closed normally
};

/// One connection, from resolve to the server's close.
class DiscardSession : public std::enable_shared_from_this<DiscardSession> {
 public:
  DiscardSession(asio::io_context& ioc, ssl::context& ctx, wsbook::Url url, std::string subscribe, Tally& tally)
      : resolver_(ioc.get_executor()), ws_(ioc.get_executor(), ctx), tick_(ioc.get_executor()),
        url_(std::move(url)), subscribe_(std::move(subscribe)), tally_(tally) {}

  void run() {
    SSL* ssl = ws_.next_layer().native_handle();
    error_code ec;
    asio::ip::make_address(url_.host, ec);
    if (!ec) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url_.host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl, url_.host.c_str());
      SSL_set1_host(ssl, url_.host.c_str());
    }
    resolver_.async_resolve(url_.host, url_.port,
                            beast::bind_front_handler(&DiscardSession::on_resolve, shared_from_this()));
  }

 private:
  void on_resolve(error_code ec, tcp::resolver::results_type results) {
    if (ec) return fail("resolve", ec);
    beast::get_lowest_layer(ws_).expires_after(kStepTimeout);
    beast::get_lowest_layer(ws_).async_connect(
        results, beast::bind_front_handler(&DiscardSession::on_connect, shared_from_this()));
  }

  void on_connect(error_code ec, tcp::endpoint) {
    if (ec) return fail("connect", ec);
    beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ec);
    beast::get_lowest_layer(ws_).expires_after(kStepTimeout);
    ws_.next_layer().async_handshake(ssl::stream_base::client,
                                     beast::bind_front_handler(&DiscardSession::on_tls, shared_from_this()));
  }

  void on_tls(error_code ec) {
    if (ec) return fail("TLS handshake", ec);
    beast::get_lowest_layer(ws_).expires_never();
    // The options wsbook sets: Beast bounds handshake and close only, deflate offered, no size limit.
    ws_.set_option(websocket::stream_base::timeout{kStepTimeout, websocket::stream_base::none(), false});
    websocket::permessage_deflate deflate;
    deflate.client_enable = true;
    ws_.set_option(deflate);
    ws_.read_message_max(0);
    ws_.async_handshake(url_.host + ":" + url_.port, url_.target,
                        beast::bind_front_handler(&DiscardSession::on_handshake, shared_from_this()));
  }

  void on_handshake(error_code ec) {
    if (ec) return fail("WebSocket handshake", ec);
    if (subscribe_.empty()) return start_reading();
    ws_.text(true);
    ws_.async_write(asio::buffer(subscribe_), [self = shared_from_this()](error_code write_ec, std::size_t) {
      if (write_ec) return self->fail("subscribe", write_ec);
      self->start_reading();
    });
  }

  void start_reading() {
    arm_tick();
    do_read();
  }

  // wsbook's stale check: a timer per connection, not per frame.
  void arm_tick() {
    tick_.expires_after(kStaleTick);
    tick_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->arm_tick();
    });
  }

  void do_read() {
    ws_.async_read_some(buffer_, kReadChunk, beast::bind_front_handler(&DiscardSession::on_read, shared_from_this()));
  }

  void on_read(error_code ec, std::size_t n) {
    if (ec == websocket::error::closed) {  // the server's close 1000: done
      tick_.cancel();
      return;
    }
    if (ec) return fail("read", ec);
    tally_.bytes += n;
    if (!ws_.is_message_done()) return do_read();
    ++tally_.messages;
    buffer_.consume(buffer_.size());
    do_read();
  }

  void fail(const char* what, error_code ec) {
    tick_.cancel();
    tally_.error = std::string(what) + ": " + ec.message();
  }

  tcp::resolver resolver_;
  websocket::stream<beast::ssl_stream<wsbook::net::ClockedTcpStream>> ws_;
  asio::steady_timer tick_;
  beast::flat_buffer buffer_;
  wsbook::Url url_;
  std::string subscribe_;
  Tally& tally_;
};

}  // namespace

int main(int argc, char** argv) {
  std::string url_text, cafile, subscribe;
  CLI::App app{"Read a wss:// stream, discard every message, print how many and how many bytes"};
  app.add_option("--url", url_text, "wss://host:port/target")->required();
  app.add_option("--cafile", cafile, "PEM file of the CA to trust")->required();
  app.add_option("--subscribe", subscribe, "text frame to send after the handshake (Gemini v2's subscribe)");
  CLI11_PARSE(app, argc, argv);
  std::string error;
  const auto url = wsbook::parse_ws_url(url_text, error);
  if (!url || !url->tls) {
    return std::fprintf(stderr, "discard_client: %s\n", url ? "wss:// only" : error.c_str()), 2;
  }

  asio::io_context ioc{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};  // as in src/net/crawler.cpp
  ssl::context ctx(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.load_verify_file(cafile);
  Tally tally;
  const auto start = std::chrono::steady_clock::now();
  std::make_shared<DiscardSession>(ioc, ctx, *url, subscribe, tally)->run();
  ioc.run();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  std::printf("messages %llu bytes %llu seconds %.3f\n", static_cast<unsigned long long>(tally.messages),
              static_cast<unsigned long long>(tally.bytes), took.count());
  if (!tally.error.empty()) std::fprintf(stderr, "discard_client: %s\n", tally.error.c_str());
  return tally.error.empty() ? 0 : 1;
}
