#pragma once
// Internal, included by session.cpp and fetch.cpp: the steps every TLS client
// connection of ours shares (the WebSocket session, the REST fetcher): a DNS
// lookup that never holds up the exit, SNI and host verification, the Host
// header, TLS failures in plain words, Retry-After.

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/system/error_code.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "wsbook/url.h"

namespace wsbook::net {

// getaddrinfo() cannot be cancelled, and Asio's resolver thread is joined when
// the io_context goes: a hung DNS server would hold up both the step timeout and
// the exit on SIGTERM. So each lookup runs on a detached thread that nobody
// waits for, and posts its answer only while the io_context still exists.
class LookupGuard final : public boost::asio::execution_context::service {
 public:
  struct State {
    std::mutex mutex;
    bool alive = true;
  };
  static inline boost::asio::execution_context::id id;
  explicit LookupGuard(boost::asio::execution_context& ctx) : service(ctx) {}
  /// The io_context is going away: lookups still running must not post to it.
  void shutdown() override {
    std::lock_guard lock(state->mutex);
    state->alive = false;
  }
  std::shared_ptr<State> state = std::make_shared<State>();
};

/// Called on the io_context's thread. The lookup thread destroys its own copy,
/// so a handler must not own anything that has to die on the io thread.
using LookupHandler =
    std::function<void(boost::system::error_code, boost::asio::ip::tcp::resolver::results_type)>;

/// Resolves host:port on a thread of its own; `done` runs on the io_context's thread, if it still exists.
inline void lookup_detached(boost::asio::io_context& ioc, const std::string& host, const std::string& port,
                            LookupHandler done) {
  auto state = boost::asio::use_service<LookupGuard>(ioc).state;
  std::thread([&ioc, state, host, port, done = std::move(done)] {
    boost::asio::io_context local;
    boost::asio::ip::tcp::resolver resolver(local);
    boost::system::error_code ec;
    auto results = resolver.resolve(host, port, ec);
    std::lock_guard lock(state->mutex);
    if (state->alive) boost::asio::post(ioc, [done, ec, results] { done(ec, results); });
  }).detach();
}

/// Resolves host:port for `weak`'s object, then calls its `on_resolve` (on the io_context's thread)
/// if the object still lives: a weak reference, as the lookup thread must never hold the object's last one.
template <class T>
void lookup_detached(boost::asio::io_context& ioc, const std::string& host, const std::string& port,
                     std::weak_ptr<T> weak,
                     void (T::*on_resolve)(boost::system::error_code, boost::asio::ip::tcp::resolver::results_type)) {
  lookup_detached(ioc, host, port,
                  [weak = std::move(weak), on_resolve](boost::system::error_code ec,
                                                       boost::asio::ip::tcp::resolver::results_type results) {
                    if (auto self = weak.lock()) ((*self).*on_resolve)(ec, std::move(results));
                  });
}

/// True for "127.0.0.1" or "::1": verified as an IP address, and no SNI.
inline bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

/// Before connecting: SNI, and the name (or IP) the certificate must carry unless insecure; "" or an error.
inline std::string prepare_client_tls(SSL* ssl, const std::string& host, bool insecure) {
  if (is_ip_literal(host)) {
    if (!insecure && X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) != 1) {
      return "cannot set up certificate verification for " + host;
    }
    return {};
  }
  if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) return "cannot set TLS SNI for " + host;
  if (!insecure && SSL_set1_host(ssl, host.c_str()) != 1) {
    return "cannot set up certificate verification for " + host;
  }
  return {};
}

/// The Host header: "host", "host:port" off the scheme's port (443, ws:// 80), IPv6 literals in brackets.
inline std::string host_header(const Url& url) {
  const std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  return url.port == (url.tls ? "443" : "80") ? host : host + ":" + url.port;
}

/// "certificate verify failed for api.gemini.com (...): the certificate was not trusted", or the TLS error.
inline std::string describe_tls_error(boost::system::error_code ec, SSL* ssl, const std::string& host) {
  if (ec.category() == boost::asio::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
    const long result = SSL_get_verify_result(ssl);
    return "certificate verify failed for " + host + " (" + X509_verify_cert_error_string(result) +
           "): the certificate was not trusted";
  }
  return "TLS handshake with " + host + " failed: " + ec.message();
}

/// Seconds from a Retry-After header; HTTP dates are not honoured, only delay-seconds.
inline std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value) {
  long long seconds = 0;
  const char* end = value.data() + value.size();
  const auto res = std::from_chars(value.data(), end, seconds);
  if (res.ec != std::errc() || res.ptr != end || seconds < 0) return std::nullopt;
  return std::chrono::milliseconds(std::min<long long>(seconds, 24 * 3600) * 1000);
}

}  // namespace wsbook::net
