#include "support/test_exchange.h"

#include "support/test_certs.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace wsbook::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using beast::error_code;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Bounds on steps the script does not time itself, so a silent client cannot wedge a test.
constexpr auto kStepTimeout = 10s;
constexpr auto kCloseTimeout = 3s;
constexpr auto kDrainTimeout = 2s;
constexpr std::size_t kReadMessageMax = 64u << 20;

ssl::context make_ssl_context(TestExchange::CertKind kind) {
  TestCerts certs = kind == TestExchange::CertKind::trusted ? make_test_certs() : make_untrusted_test_certs();
  ssl::context ctx(ssl::context::tls_server);
  error_code ec;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3, ec);
  if (!ec) ctx.use_certificate_chain(net::buffer(certs.cert_pem), ec);
  if (!ec) ctx.use_private_key(net::buffer(certs.key_pem), ssl::context::pem, ec);
  if (ec) throw std::runtime_error("TestExchange: TLS setup failed: " + ec.message());
  return ctx;
}

class BeastConnection final : public Connection {
 public:
  BeastConnection(int index, ssl::context& ctx, const std::atomic<bool>& stopping)
      : index_(index), stopping_(stopping), ws_(ioc_, ctx) {}

  /// The socket the acceptor fills in.
  tcp::socket& socket() { return beast::get_lowest_layer(ws_).socket(); }
  /// Called from another thread: makes the current and all later waits of this connection return.
  void interrupt() { ioc_.stop(); }
  /// After the script: closes politely if still open, then cuts and drains every pending operation.
  void finish();

  int index() const override { return index_; }
  bool accept() override { return tls_handshake() && !read_http_request().empty() && accept_websocket(); }
  bool tls_handshake() override;
  std::string read_http_request() override;
  void respond_http(int status, const std::vector<Header>& headers, const std::string& body) override;
  bool accept_websocket() override;
  const std::string& request_target() const override { return target_; }
  std::string request_header(const std::string& name) const override;
  bool deflate_negotiated() const override { return deflate_; }
  bool send_text(std::string_view frame) override { return send_frame(frame, true); }
  bool send_binary(std::string_view frame) override { return send_frame(frame, false); }
  std::optional<std::string> read_text(std::chrono::milliseconds timeout) override;
  bool ping() override;
  bool wait_pongs(int n, std::chrono::milliseconds timeout) override {
    return run_until([this, n] { return pongs_ >= n; }, Clock::now() + timeout);
  }
  void close(int code, const std::string& reason) override;
  void drop() override { cut(); }
  void stall(std::chrono::milliseconds d) override {
    run_until([] { return false; }, Clock::now() + d);
  }
  bool wait_closed(std::chrono::milliseconds timeout) override;
  bool send_raw_bytes(std::string_view bytes) override;

 private:
  enum class State { fresh, tls, requested, open, closed };
  using Done = std::function<bool()>;

  bool run_until(const Done& done, Clock::time_point deadline);
  template <class Start>
  error_code run_op(Start&& start, Clock::duration timeout);
  void drain(const Done& done);
  void start_reading();
  bool send_frame(std::string_view frame, bool text);
  bool wait_raw_eof(Clock::time_point deadline);
  void cut();

  int index_;
  const std::atomic<bool>& stopping_;
  // Declared before ws_ so that it outlives the stream's pending operations.
  net::io_context ioc_;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws_;
  State state_ = State::fresh;
  beast::flat_buffer http_buffer_;
  http::request<http::string_body> request_;
  std::string target_;
  bool deflate_ = false;
  bool reading_ = false;      // the background async_read is in flight
  bool peer_closed_ = false;  // the client's close frame arrived (the read ends after the teardown)
  int pongs_ = 0;             // pong frames the client sent
  beast::flat_buffer read_buffer_;
  std::deque<std::string> inbox_;
};

// Runs this connection's handlers on the calling (script) thread until done(), the deadline or
// interrupt(). The timer keeps the loop from blocking past the deadline when nothing else happens.
bool BeastConnection::run_until(const Done& done, Clock::time_point deadline) {
  auto expired = std::make_shared<bool>(false);
  net::steady_timer timer(ioc_, deadline);
  timer.async_wait([expired](error_code ec) { *expired = !ec; });
  while (!done()) {
    if (*expired) return false;
    if (ioc_.stopped()) ioc_.restart();
    // Checked after restart(): interrupt() then either already stopped us or stops the run below.
    if (stopping_) return false;
    ioc_.run_one();
  }
  return true;
}

// Starts one asynchronous operation and waits for it. On timeout or interrupt the connection is
// cut and the operation drained, because it may still point at the caller's buffers.
template <class Start>
error_code BeastConnection::run_op(Start&& start, Clock::duration timeout) {
  auto result = std::make_shared<std::optional<error_code>>();
  start([result](error_code ec, auto&&...) { *result = ec; });
  auto finished = [&] { return result->has_value(); };
  if (run_until(finished, Clock::now() + timeout)) return **result;
  cut();
  drain(finished);
  return net::error::timed_out;
}

// Runs handlers regardless of interrupt() until done(): used once the socket is closed, when
// every pending operation completes promptly with an error.
void BeastConnection::drain(const Done& done) {
  auto limit = Clock::now() + kDrainTimeout;
  while (!done() && Clock::now() < limit) {
    ioc_.restart();
    ioc_.run_one_for(50ms);
  }
}

void BeastConnection::cut() {
  error_code ec;
  socket().shutdown(tcp::socket::shutdown_both, ec);
  socket().close(ec);
  state_ = State::closed;
}

void BeastConnection::finish() {
  if (state_ == State::open && !stopping_) close(1000, "");
  cut();
  drain([this] { return !reading_; });
  ioc_.restart();
  ioc_.run_for(kDrainTimeout);  // returns at once when the cut operations are all done
}

bool BeastConnection::tls_handshake() {
  if (state_ != State::fresh) return false;
  auto ec = run_op([&](auto h) { ws_.next_layer().async_handshake(ssl::stream_base::server, h); }, kStepTimeout);
  if (ec) {
    cut();
    return false;
  }
  state_ = State::tls;
  return true;
}

std::string BeastConnection::read_http_request() {
  if (state_ != State::tls) return "";
  auto ec = run_op([&](auto h) { http::async_read(ws_.next_layer(), http_buffer_, request_, h); }, kStepTimeout);
  if (ec) {
    cut();
    return "";
  }
  state_ = State::requested;
  target_ = std::string(request_.target());
  std::ostringstream raw;
  raw << request_.base();
  return raw.str();
}

void BeastConnection::respond_http(int status, const std::vector<Header>& headers, const std::string& body) {
  if (state_ != State::requested && state_ != State::tls) return;
  http::response<http::string_body> res;
  res.result(status >= 100 && status <= 999 ? static_cast<unsigned>(status) : 500u);  // Beast throws otherwise
  res.set(http::field::server, "wsbook-test-exchange");
  for (const auto& [name, value] : headers) res.insert(name, value);
  res.body() = body;
  res.keep_alive(false);
  res.prepare_payload();
  auto ec = run_op([&](auto h) { http::async_write(ws_.next_layer(), res, h); }, kStepTimeout);
  if (!ec) run_op([&](auto h) { ws_.next_layer().async_shutdown(h); }, kCloseTimeout);
  cut();
}

std::string BeastConnection::request_header(const std::string& name) const {
  auto it = request_.find(name);
  return it == request_.end() ? "" : std::string(it->value());
}

bool BeastConnection::accept_websocket() {
  if (state_ != State::requested) return false;
  websocket::permessage_deflate pmd;
  pmd.server_enable = true;
  ws_.set_option(pmd);
  ws_.read_message_max(kReadMessageMax);
  ws_.auto_fragment(false);  // one message = one frame, like the real exchange
  ws_.set_option(websocket::stream_base::timeout{kCloseTimeout, websocket::stream_base::none(), false});
  // Beast calls the decorator after it has negotiated the extensions, so the answer is in res.
  ws_.set_option(websocket::stream_base::decorator([this](websocket::response_type& res) {
    deflate_ = res[http::field::sec_websocket_extensions].find("permessage-deflate") != beast::string_view::npos;
    res.set(http::field::server, "wsbook-test-exchange");
  }));
  auto ec = run_op([&](auto h) { ws_.async_accept(request_, h); }, kStepTimeout);
  if (ec) {
    cut();
    return false;
  }
  state_ = State::open;
  ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
    peer_closed_ = peer_closed_ || kind == websocket::frame_type::close;
    if (kind == websocket::frame_type::pong) ++pongs_;
  });
  start_reading();
  return true;
}

// Reads client messages into inbox_ for as long as the connection lives; Beast answers pings and
// close frames while this read is pending, which is why it always is.
void BeastConnection::start_reading() {
  reading_ = true;
  ws_.async_read(read_buffer_, [this](error_code ec, std::size_t) {
    reading_ = false;
    if (ec) return;
    inbox_.push_back(beast::buffers_to_string(read_buffer_.data()));
    read_buffer_.consume(read_buffer_.size());
    start_reading();
  });
}

bool BeastConnection::send_frame(std::string_view frame, bool text) {
  if (state_ != State::open || !reading_ || peer_closed_) return false;
  ws_.text(text);
  auto ec = run_op([&](auto h) { ws_.async_write(net::buffer(frame.data(), frame.size()), h); }, kStepTimeout);
  return !ec;
}

std::optional<std::string> BeastConnection::read_text(std::chrono::milliseconds timeout) {
  run_until([this] { return !inbox_.empty() || !reading_; }, Clock::now() + timeout);
  if (inbox_.empty()) return std::nullopt;
  std::string message = std::move(inbox_.front());
  inbox_.pop_front();
  return message;
}

bool BeastConnection::ping() {
  if (state_ != State::open || !reading_ || peer_closed_) return false;
  return !run_op([&](auto h) { ws_.async_ping({}, h); }, kStepTimeout);
}

void BeastConnection::close(int code, const std::string& reason) {
  if (state_ != State::open) return;
  if (reading_ && !peer_closed_) {
    websocket::close_reason why(static_cast<websocket::close_code>(code), reason);
    run_op([&](auto h) { ws_.async_close(why, h); }, kCloseTimeout);
  }
  // The pending read ends once Beast has finished the close handshake and the TLS teardown.
  run_until([this] { return !reading_; }, Clock::now() + kCloseTimeout);
  cut();
}

bool BeastConnection::wait_closed(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  if (state_ == State::closed) return true;
  if (state_ == State::open) return run_until([this] { return peer_closed_ || !reading_; }, deadline);
  return wait_raw_eof(deadline);
}

// Before the WebSocket is up nothing reads, so read (and discard) raw TCP bytes until EOF.
bool BeastConnection::wait_raw_eof(Clock::time_point deadline) {
  auto done = std::make_shared<bool>(false);
  auto scratch = std::make_shared<std::array<char, 4096>>();
  std::function<void()> read_more = [&, done, scratch] {
    socket().async_read_some(net::buffer(*scratch), [&, done](error_code ec, std::size_t) {
      if (ec) *done = true;
      else read_more();
    });
  };
  read_more();
  if (run_until([done] { return *done; }, deadline)) {
    cut();
    return true;
  }
  error_code ec;
  socket().cancel(ec);
  drain([done] { return *done; });
  return false;
}

bool BeastConnection::send_raw_bytes(std::string_view bytes) {
  if (state_ == State::fresh || state_ == State::closed) return false;
  auto buffer = net::buffer(bytes.data(), bytes.size());
  return !run_op([&](auto h) { net::async_write(ws_.next_layer(), buffer, h); }, kStepTimeout);
}

}  // namespace

struct TestExchange::Impl {
  Impl(Script s, CertKind kind) : script(std::move(s)), ssl_ctx(make_ssl_context(kind)), acceptor(accept_ioc) {
    tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(net::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    accept_next();
    accept_thread = std::thread([this] { accept_ioc.run(); });
  }

  void accept_next();
  void on_accept(error_code ec);
  void run_script(BeastConnection& conn);
  void shut_down();

  struct Slot {
    std::unique_ptr<BeastConnection> conn;
    std::thread thread;
  };

  Script script;
  ssl::context ssl_ctx;
  net::io_context accept_ioc;
  tcp::acceptor acceptor;
  unsigned short port = 0;
  std::atomic<bool> stopping{false};
  std::unique_ptr<BeastConnection> pending;  // the connection the acceptor is filling in
  std::thread accept_thread;
  mutable std::mutex mutex;
  mutable std::condition_variable accepted;
  std::vector<Slot> slots;  // guarded by mutex
};

void TestExchange::Impl::accept_next() {
  int index;
  {
    std::lock_guard lock(mutex);
    index = static_cast<int>(slots.size());
  }
  pending = std::make_unique<BeastConnection>(index, ssl_ctx, stopping);
  acceptor.async_accept(pending->socket(), [this](error_code ec) { on_accept(ec); });
}

void TestExchange::Impl::on_accept(error_code ec) {
  if (stopping || ec == net::error::operation_aborted) return;
  if (!ec) {
    BeastConnection& conn = *pending;
    std::lock_guard lock(mutex);
    slots.push_back(Slot{std::move(pending), std::thread([this, &conn] { run_script(conn); })});
    accepted.notify_all();
  }
  accept_next();
}

void TestExchange::Impl::run_script(BeastConnection& conn) {
  // A script that throws must not take the whole test binary down with std::terminate.
  try {
    script(conn);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "TestExchange: script for connection %d threw: %s\n", conn.index(), e.what());
  } catch (...) {
    std::fprintf(stderr, "TestExchange: script for connection %d threw\n", conn.index());
  }
  conn.finish();
}

void TestExchange::Impl::shut_down() {
  stopping = true;
  net::post(accept_ioc, [this] {
    error_code ec;
    acceptor.close(ec);
  });
  accept_thread.join();
  // No more accepts can happen now, so slots no longer changes.
  for (auto& slot : slots) slot.conn->interrupt();
  for (auto& slot : slots) slot.thread.join();
}

TestExchange::TestExchange(Script script, CertKind cert) : impl_(std::make_unique<Impl>(std::move(script), cert)) {}

TestExchange::~TestExchange() { impl_->shut_down(); }

unsigned short TestExchange::port() const { return impl_->port; }

std::string TestExchange::url(const std::string& target) const {
  return "wss://localhost:" + std::to_string(impl_->port) + target;
}

int TestExchange::connections() const {
  std::lock_guard lock(impl_->mutex);
  return static_cast<int>(impl_->slots.size());
}

bool TestExchange::wait_for_connections(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->accepted.wait_for(lock, timeout, [&] { return static_cast<int>(impl_->slots.size()) >= n; });
}

std::string TestExchange::ca_file() const { return test_ca_file(); }

}  // namespace wsbook::testing
