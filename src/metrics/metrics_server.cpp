// In the shape of Beast's async HTTP server example: an acceptor, one session
// per scraper with do_x/on_x pairs, a timeout on every read and write.
#include "metrics/metrics_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace wsbook::metrics {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

constexpr std::chrono::seconds kTimeout{10};
// Scrapers at once; one more is closed at once, so a flood of them costs little.
constexpr std::size_t kMaxSessions = 16;
constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

struct Shared {
  MetricsServer::Render render;
  std::size_t sessions = 0;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    ++shared_->sessions;
  }
  ~HttpSession() { --shared_->sessions; }
  void start() { do_read(); }

 private:
  void do_read() {
    parser_.emplace();
    parser_->header_limit(8 * 1024);
    parser_->body_limit(1024);
    stream_.expires_after(kTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(error_code ec) {
    if (ec) return close();  // the scraper left, timed out or sent what is not HTTP
    const auto& req = parser_->get();
    respond(req);
    do_write();
  }

  void respond(const http::request<http::string_body>& req) {
    const std::string_view target(req.target().data(), req.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    res_ = {};
    res_.version(req.version());
    res_.keep_alive(req.keep_alive());
    res_.set(http::field::server, "wsbook");
    if (path != "/metrics") {
      res_.result(http::status::not_found);
      res_.set(http::field::content_type, "text/plain; charset=utf-8");
      res_.body() = "not found: the metrics are at /metrics\n";
    } else if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res_.result(http::status::method_not_allowed);
      res_.set(http::field::allow, "GET, HEAD");
      res_.body() = "only GET and HEAD\n";
    } else {
      res_.result(http::status::ok);
      res_.set(http::field::content_type, kContentType);
      res_.body() = shared_->render();
    }
    res_.prepare_payload();
    if (req.method() == http::verb::head) res_.body().clear();
  }

  void do_write() {
    stream_.expires_after(kTimeout);
    http::async_write(stream_, res_, [self = shared_from_this()](error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(error_code ec) {
    if (ec || !res_.keep_alive()) return close();
    do_read();
  }

  void close() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace

struct MetricsServer::Impl {
  Impl(asio::io_context& ioc, Render render) : acceptor(ioc), retry(ioc), shared(std::make_shared<Shared>()) {
    shared->render = std::move(render);
  }

  void do_accept() {
    acceptor.async_accept([this](error_code ec, tcp::socket socket) { on_accept(ec, std::move(socket)); });
  }

  void on_accept(error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      if (shared->sessions < kMaxSessions) std::make_shared<HttpSession>(std::move(socket), shared)->start();
      return do_accept();
    }
    // No descriptor left: the connection stays queued and the next accept would fail at once,
    // spinning the feed's thread. A failed accept must not end the server either.
    retry.expires_after(std::chrono::milliseconds(100));
    retry.async_wait([this](error_code e) {
      if (!e && acceptor.is_open()) do_accept();
    });
  }

  tcp::acceptor acceptor;
  asio::steady_timer retry;
  std::shared_ptr<Shared> shared;
};

MetricsServer::MetricsServer(asio::io_context& ioc, Render render)
    : impl_(std::make_unique<Impl>(ioc, std::move(render))) {}

MetricsServer::~MetricsServer() { close(); }

std::string MetricsServer::listen(const ListenAddress& address) {
  error_code ec;
  const tcp::endpoint at(asio::ip::make_address(address.host, ec), address.port);
  if (!ec) impl_->acceptor.open(at.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(at, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error_code ignored;
    impl_->acceptor.close(ignored);
    return ec.message();
  }
  impl_->do_accept();
  return {};
}

std::string MetricsServer::bound() const {
  error_code ec;
  const tcp::endpoint at = impl_->acceptor.local_endpoint(ec);
  if (ec) return {};
  const std::string host = at.address().to_string();
  return (at.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(at.port());
}

void MetricsServer::close() {
  error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->retry.cancel();
}

}  // namespace wsbook::metrics
