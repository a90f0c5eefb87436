#pragma once

// A scriptable WebSocket-over-TLS server on 127.0.0.1 for the crawler's tests.
// No Boost, Beast or OpenSSL here: those live in test_exchange.cpp only, because
// every Beast translation unit costs close to a minute to compile.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wsbook::testing {

/// One accepted TCP connection, handed to the script; every call blocks, none throws.
/// Incoming frames (and pong replies to the client's pings) are processed only while
/// the script is inside one of these calls; each call gives up once the exchange is being destroyed.
class Connection {
 public:
  /// HTTP header name and value, for respond_http().
  using Header = std::pair<std::string, std::string>;

  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// 0 for the first connection the server accepted, 1 for the next, ...
  virtual int index() const = 0;

  /// TLS handshake + read the HTTP upgrade request + accept the WebSocket; false if the client failed or left.
  virtual bool accept() = 0;
  /// Only the TLS handshake, for scripts that answer the HTTP request themselves.
  virtual bool tls_handshake() = 0;
  /// After tls_handshake(): reads the upgrade request; returns request line + headers raw, "" on failure.
  virtual std::string read_http_request() = 0;
  /// Answers the request with a plain HTTP response (e.g. 429 + Retry-After, 301 + Location), then closes.
  virtual void respond_http(int status, const std::vector<Header>& headers, const std::string& body) = 0;
  /// After read_http_request(): accepts the WebSocket upgrade; false on failure.
  virtual bool accept_websocket() = 0;

  /// The request target, e.g. "/v1/marketdata/BTCUSD?heartbeat=true"; "" before the request was read.
  virtual const std::string& request_target() const = 0;
  /// A request header's value (case-insensitive name), "" if absent.
  virtual std::string request_header(const std::string& name) const = 0;
  /// Whether the client offered permessage-deflate and the server accepted it.
  virtual bool deflate_negotiated() const = 0;

  /// Sends one text frame; false once the peer is gone.
  virtual bool send_text(std::string_view frame) = 0;
  /// Sends one binary frame; false once the peer is gone.
  virtual bool send_binary(std::string_view frame) = 0;
  /// The next client->server message (e.g. the subscribe frame); nullopt on timeout or once closed.
  virtual std::optional<std::string> read_text(std::chrono::milliseconds timeout) = 0;
  /// Sends a ping frame; false once the peer is gone.
  virtual bool ping() = 0;
  /// Waits (answering and reading) until the client's pongs number at least n; true if they did in time.
  virtual bool wait_pongs(int n, std::chrono::milliseconds timeout) = 0;

  /// Polite WebSocket close: sends the close frame and waits (bounded) for the client's answer.
  virtual void close(int code = 1000, const std::string& reason = "") = 0;
  /// Abrupt: shuts the TCP socket, no close frame, no TLS close_notify.
  virtual void drop() = 0;
  /// Sends nothing for d, but keeps reading, so pings are answered and a client close is noticed.
  virtual void stall(std::chrono::milliseconds d) = 0;
  /// Waits until the client closes or drops the connection; true if it did within timeout.
  virtual bool wait_closed(std::chrono::milliseconds timeout) = 0;
  /// Writes raw bytes on the TLS stream (garbage that is not even a WebSocket frame); false on failure.
  virtual bool send_raw_bytes(std::string_view bytes) = 0;

 protected:
  Connection() = default;
};

/// The server: accepts on 127.0.0.1:<ephemeral> on its own thread and runs the script for each
/// connection on that connection's own thread. When a script returns, its connection is closed
/// politely if still open.
class TestExchange {
 public:
  /// What each accepted connection runs.
  using Script = std::function<void(Connection&)>;
  /// trusted: signed by make_test_certs().ca_pem; untrusted: signed by a different CA.
  enum class CertKind { trusted, untrusted };

  /// Starts listening at once.
  explicit TestExchange(Script script, CertKind cert = CertKind::trusted);
  /// Stops accepting, cuts live connections, joins every thread; does not hang on a script's bounded waits.
  ~TestExchange();
  TestExchange(const TestExchange&) = delete;
  TestExchange& operator=(const TestExchange&) = delete;

  /// The port listened on (127.0.0.1).
  unsigned short port() const;
  /// "wss://localhost:<port><target>".
  std::string url(const std::string& target) const;
  /// How many TCP connections were accepted so far.
  int connections() const;
  /// Waits until at least n connections were accepted; true if they were within timeout.
  bool wait_for_connections(int n, std::chrono::milliseconds timeout) const;
  /// Path of a PEM file holding the CA that signed the trusted cert.
  std::string ca_file() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wsbook::testing
