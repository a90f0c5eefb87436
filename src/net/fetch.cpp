// HTTPS GETs in the shape of Beast's async-ssl HTTP client example: one object
// per request, do_x/on_x handler pairs, error codes, a timeout on every step.
#include "fetch.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <vector>

#include "client_steps.h"
#include "proxy_tunnel.h"

namespace wsbook::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;
using Done = std::function<void(FetchResponse)>;

// Copied into each request, so that none reads its Fetcher or the options again.
struct FetchSettings {
  std::chrono::milliseconds step_timeout;
  bool insecure;
  std::size_t max_body;
  std::optional<ProxyUrl> proxy;
  std::string no_proxy;
};

/// "timeout reading the response", or "error reading the response: <why>".
std::string step_failure(error_code ec, const std::string& step) {
  if (ec == beast::error::timeout) return "timeout " + step;
  return "error " + step + ": " + ec.message();
}

/// Status, body and Retry-After of a response as it was read.
FetchResponse to_fetch_response(http::response<http::string_body>&& res) {
  FetchResponse out;
  out.status = static_cast<int>(res.result_int());
  if (auto it = res.find(http::field::retry_after); it != res.end()) {
    const auto value = it->value();
    out.retry_after = parse_retry_after({value.data(), value.size()});
  }
  out.body = std::move(res.body());
  return out;
}

// One thread runs the io_context, so a request needs no strand. Every handler
// first checks that the request is still wanted: an answer (a timeout) or an
// abandon() may have come between an operation's completion and its handler.
class FetchOp final : public std::enable_shared_from_this<FetchOp> {
 public:
  FetchOp(asio::io_context& ioc, asio::ssl::context& tls, const FetchSettings& settings, FetchRequest request,
          Done done)
      : ioc_(ioc), stream_(ioc.get_executor(), tls), timer_(ioc.get_executor()), settings_(settings),
        request_(std::move(request)), done_(std::move(done)) {}

  /// Waits out the request's delay, then goes on; never answers before it returns.
  void start() {
    timer_.expires_after(request_.delay);
    timer_.async_wait(beast::bind_front_handler(&FetchOp::on_delay, shared_from_this()));
  }

  /// Neither answered nor abandoned yet.
  bool pending() const { return !answered_ && !abandoned_; }

  /// From now on `done` never runs; the connection closes, even one shutting down after its answer.
  void abandon() {
    abandoned_ = true;
    done_ = nullptr;
    timer_.cancel();
    tcp_layer().close();
  }

 private:
  bool stopped() const { return !pending(); }
  beast::tcp_stream& tcp_layer() { return beast::get_lowest_layer(stream_); }

  void on_delay(error_code ec) {
    if (ec || stopped()) return;
    std::string error;
    auto url = parse_https_url(request_.url, error);
    if (!url) return fail("invalid URL " + request_.url + ": " + error);
    url_ = std::move(*url);
    hop_ = first_hop(url_, settings_.proxy, settings_.no_proxy);
    if (auto err = prepare_client_tls(stream_.native_handle(), url_.host, settings_.insecure); !err.empty()) {
      return fail(std::move(err));
    }
    do_resolve();
  }

  // The lookup has no timeout of its own: the timer bounds it.
  void do_resolve() {
    timer_.expires_after(settings_.step_timeout);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec && !self->resolved_ && !self->stopped()) self->fail("timeout resolving " + self->hop_.host);
    });
    lookup_detached(ioc_, hop_.host, hop_.port, weak_from_this(), &FetchOp::on_resolve);
  }

  void on_resolve(error_code ec, tcp::resolver::results_type results) {
    resolved_ = true;
    if (stopped()) return;
    timer_.cancel();
    if (ec) return fail(step_failure(ec, "resolving " + hop_.host));
    tcp_layer().expires_after(settings_.step_timeout);
    tcp_layer().async_connect(results, beast::bind_front_handler(&FetchOp::on_connect, shared_from_this()));
  }

  void on_connect(error_code ec, tcp::endpoint) {
    if (stopped()) return;
    if (ec) return fail(step_failure(ec, "connecting to " + hop_.what()));
    if (hop_.proxy == nullptr) return on_tunnel({});
    open_tunnel(tcp_layer(), *hop_.proxy, url_, settings_.step_timeout,
                [self = shared_from_this()](std::string error) { self->on_tunnel(std::move(error)); });
  }

  // Connected to the venue, or through the proxy's tunnel to it: TLS starts.
  void on_tunnel(std::string error) {
    if (stopped()) return;
    if (!error.empty()) return fail(std::move(error));
    tcp_layer().expires_after(settings_.step_timeout);
    stream_.async_handshake(asio::ssl::stream_base::client,
                            beast::bind_front_handler(&FetchOp::on_handshake, shared_from_this()));
  }

  void on_handshake(error_code ec) {
    if (stopped()) return;
    if (ec == beast::error::timeout) return fail("timeout in the TLS handshake with " + url_.host);
    if (ec) return fail(describe_tls_error(ec, stream_.native_handle(), url_.host));
    do_write();
  }

  // No extra headers: ConnectionOptions::headers are for the WebSocket handshake only.
  void do_write() {
    req_.method(http::verb::get);
    req_.target(url_.target);
    req_.version(11);
    req_.set(http::field::host, host_header(url_));
    req_.set(http::field::user_agent, user_agent());
    req_.set(http::field::accept, "application/json");
    req_.keep_alive(false);
    tcp_layer().expires_after(settings_.step_timeout);
    http::async_write(stream_, req_, beast::bind_front_handler(&FetchOp::on_write, shared_from_this()));
  }

  void on_write(error_code ec, std::size_t) {
    if (stopped()) return;
    if (ec) return fail(step_failure(ec, "writing the request"));
    do_read();
  }

  // One deadline for the whole response, not one per read: a trickling server cannot stretch it.
  // The header first: reading eagerly, Beast 1.74 lets a Content-Length over the body limit through.
  void do_read() {
    parser_.body_limit(settings_.max_body);
    tcp_layer().expires_after(settings_.step_timeout);
    http::async_read_header(stream_, buffer_, parser_,
                            beast::bind_front_handler(&FetchOp::on_read_header, shared_from_this()));
  }

  void on_read_header(error_code ec, std::size_t) {
    if (stopped()) return;
    if (ec) return fail_read(ec);
    http::async_read(stream_, buffer_, parser_, beast::bind_front_handler(&FetchOp::on_read, shared_from_this()));
  }

  void on_read(error_code ec, std::size_t) {
    if (stopped()) return;
    if (ec) return fail_read(ec);
    answer(to_fetch_response(parser_.release()));
    // After the answer, which must not wait for it; `done` may have abandoned us meanwhile.
    if (!abandoned_) do_shutdown();
  }

  void fail_read(error_code ec) {
    if (ec == http::error::body_limit) {
      return fail("response body larger than the limit of " + std::to_string(settings_.max_body) + " bytes");
    }
    fail(step_failure(ec, "reading the response"));
  }

  void do_shutdown() {
    tcp_layer().expires_after(settings_.step_timeout);
    stream_.async_shutdown(beast::bind_front_handler(&FetchOp::on_shutdown, shared_from_this()));
  }

  // Whatever the outcome (Binance closes without waiting for ours): the socket goes.
  void on_shutdown(error_code) { tcp_layer().close(); }

  void fail(std::string error) {
    tcp_layer().close();
    FetchResponse response;
    response.error = std::move(error);
    answer(std::move(response));
  }

  // Exactly once. `done` may cancel every request, or destroy the Fetcher: our
  // caller's handler still holds this object.
  void answer(FetchResponse response) {
    answered_ = true;
    timer_.cancel();
    response.id = request_.id;
    Done done = std::move(done_);
    done_ = nullptr;
    done(std::move(response));
  }

  asio::io_context& ioc_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  asio::steady_timer timer_;  // the delay, then the lookup's timeout
  FetchSettings settings_;
  FetchRequest request_;
  Done done_;
  Url url_;
  Hop hop_;  // where it connects first: the venue or its proxy
  http::request<http::empty_body> req_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> parser_;
  bool resolved_ = false, answered_ = false, abandoned_ = false;
};

}  // namespace

struct Fetcher::Impl {
  asio::io_context& ioc;
  asio::ssl::context& tls;
  FetchSettings settings;
  std::vector<std::weak_ptr<FetchOp>> ops;  // started and not destroyed yet: what cancel() must reach
};

Fetcher::Fetcher(asio::io_context& ioc, asio::ssl::context& tls, const ConnectionOptions& options,
                 std::size_t max_body)
    : impl_(std::make_unique<Impl>(
          Impl{ioc, tls, {options.step_timeout, options.insecure, max_body, options.proxy, options.no_proxy}, {}})) {}

Fetcher::~Fetcher() { cancel(); }

void Fetcher::get(FetchRequest request, std::function<void(FetchResponse)> done) {
  std::erase_if(impl_->ops, [](const std::weak_ptr<FetchOp>& op) { return op.expired(); });
  auto op = std::make_shared<FetchOp>(impl_->ioc, impl_->tls, impl_->settings, std::move(request), std::move(done));
  impl_->ops.push_back(op);
  op->start();
}

void Fetcher::cancel() {
  for (const auto& weak : impl_->ops) {
    if (auto op = weak.lock()) op->abandon();
  }
  impl_->ops.clear();
}

std::size_t Fetcher::in_flight() const {
  return static_cast<std::size_t>(std::count_if(impl_->ops.begin(), impl_->ops.end(), [](const auto& weak) {
    auto op = weak.lock();
    return op && op->pending();
  }));
}

}  // namespace wsbook::net
