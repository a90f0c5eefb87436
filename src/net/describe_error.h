#pragma once
// Internal, included by session.cpp only: connection failures in plain words.

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/websocket.hpp>

#include <charconv>
#include <string>

#include "session.h"

namespace wsbook::net {

/// "certificate verify failed for api.gemini.com (...)" or the TLS error as it is.
inline std::string describe_tls_error(boost::beast::error_code ec, SSL* ssl, const std::string& host) {
  if (ec.category() == boost::asio::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    const long result = SSL_get_verify_result(ssl);
    return "certificate verify failed for " + host + " (" + X509_verify_cert_error_string(result) + ")";
  }
  return "TLS handshake with " + host + " failed: " + ec.message();
}

/// Seconds from a Retry-After header; HTTP dates are not honoured, only delay-seconds.
inline std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value) {
  long long seconds = 0;
  const auto res = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (res.ec != std::errc() || seconds < 0) return std::nullopt;
  return std::chrono::milliseconds(std::min<long long>(seconds, 24 * 3600) * 1000);
}

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
