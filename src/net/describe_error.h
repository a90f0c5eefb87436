#pragma once
// Internal, included by session.cpp only: WebSocket failures in plain words
// (client_steps.h has the TLS ones).

#include <boost/beast/core/error.hpp>
#include <boost/beast/websocket.hpp>

#include <string>

#include "client_steps.h"
#include "session.h"

namespace wsbook::net {

/// A refused WebSocket upgrade: its HTTP status and Retry-After, or the error.
inline SessionEnd describe_handshake_error(boost::beast::error_code ec,
                                           const boost::beast::websocket::response_type& res) {
  namespace http = boost::beast::http;
  const int status = static_cast<int>(res.result_int());
  if (status == 0 || status == 101) return {"WebSocket handshake failed: " + ec.message(), 0, std::nullopt};
  SessionEnd end{"WebSocket handshake refused: HTTP " + std::to_string(status) + " " +
                     std::string(res.reason()),
                 status, std::nullopt};
  if (auto it = res.find(http::field::retry_after); it != res.end()) {
    const auto value = it->value();
    end.retry_after = parse_retry_after({value.data(), value.size()});
  }
  if (auto it = res.find(http::field::location); it != res.end()) {
    end.reason += " (redirect to " + std::string(it->value()) + " not followed)";
  }
  return end;
}

/// Why reading stopped: a close frame with its code, a drop, a timeout, a frame too large.
inline std::string describe_read_error(boost::beast::error_code ec,
                                       const boost::beast::websocket::close_reason& close,
                                       const ConnectionOptions& options) {
  namespace websocket = boost::beast::websocket;
  if (ec == websocket::error::closed) {
    std::string text = "server closed the connection with code " + std::to_string(close.code);
    if (!close.reason.empty()) text += " (" + std::string(close.reason.c_str()) + ")";
    return text;
  }
  if (ec == boost::beast::error::timeout) {
    return "no data for " + std::to_string(options.stale_timeout.count()) + " ms, pings unanswered";
  }
  return "connection lost: " + ec.message();
}

}  // namespace wsbook::net
