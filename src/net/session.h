#pragma once
// Internal: one WebSocket-over-TLS connection, from resolve to close. Only
// session.cpp includes Beast; the crawler sees this small interface.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wsbook/crawler.h"
#include "wsbook/url.h"

namespace wsbook::net {

/// Why a connection ended, for the log and the backoff.
struct SessionEnd {
  std::string reason;
  int http_status = 0;                                   ///< handshake refused with this status
  std::optional<std::chrono::milliseconds> retry_after;  ///< from a 429/503 Retry-After
};

/// What a session tells its owner; called on the io_context's thread.
class SessionListener {
 public:
  virtual ~SessionListener() = default;
  /// The handshake is done: the connection is ready to send and receive.
  virtual void on_open() = 0;
  /// One received message (`binary`: a binary one), in Unix µs when its last byte was read; return false to
  /// close this connection.
  virtual bool on_frame(std::string_view frame, std::int64_t received_us, bool binary) = 0;
  /// The connection is over; called exactly once, last.
  virtual void on_end(const SessionEnd& end) = 0;
};

/// A running connection.
class Session {
 public:
  virtual ~Session() = default;
  /// Sends a text frame after those sent before; a failed write ends the session.
  virtual void send(std::string frame) = 0;
  /// Sends a WebSocket ping, unless one is still unanswered.
  virtual void ping() = 0;
  /// Closes politely (close frame 1000) within the step timeout, then on_end.
  virtual void close() = 0;
};

/// Sets up TLS: verification against the system store or `cafile`, unless insecure; "" or an error.
std::string configure_tls(boost::asio::ssl::context& ctx, const ConnectionOptions& options);

/// Starts a connection; the listener must outlive it.
std::shared_ptr<Session> start_session(boost::asio::io_context& ioc, boost::asio::ssl::context& ctx,
                                       const Url& url, const ConnectionOptions& options,
                                       SessionListener& listener);

}  // namespace wsbook::net
