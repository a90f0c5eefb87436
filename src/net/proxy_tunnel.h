#pragma once
// Internal, for session.cpp and fetch.cpp: where a TLS client connects (the
// venue, or an HTTP proxy), and the CONNECT tunnel through the proxy, before
// TLS starts inside it.

#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "wsbook/crawler.h"
#include "wsbook/url.h"

namespace wsbook::net {

/// The first hop of a connection to `url`: the proxy (when one applies to its host) or the host itself.
struct Hop {
  std::string host;  ///< to resolve and connect to
  std::string port;  ///< the same
  const ProxyUrl* proxy = nullptr;  ///< the proxy to tunnel through; nullptr: direct
  /// "proxy 10.0.0.1:3128" or "api.gemini.com:443", for messages.
  std::string what() const;
};

/// Where a connection to `url` connects first, through `proxy` unless `no_proxy` covers its host
/// or it is ws:// and the proxy is not for `plain` ones; the Hop points into `proxy`, which must outlive it.
Hop first_hop(const Url& url, const std::optional<ProxyUrl>& proxy, std::string_view no_proxy, bool plain = true);

/// The CONNECT request for a tunnel to `target`, with the proxy's credentials if it has them.
std::string connect_request(const ProxyUrl& proxy, const Url& target);

/// What the proxy's `answer` (its header ending at `header_end`) means: "" for a tunnel open, else why not.
std::string read_answer(const std::string& answer, std::size_t header_end, const ProxyUrl& proxy, const Url& target);

/// Asks the proxy `stream` (a beast::basic_stream) is connected to for a tunnel to `target`, each step
/// within `timeout`; `done("")` once it is open, else `done(why)` (a 407, a refusal, a timeout).
/// `stream` must outlive it.
template <class Stream>
void open_tunnel(Stream& stream, const ProxyUrl& proxy, const Url& target, std::chrono::milliseconds timeout,
                 std::function<void(std::string)> done) {
  struct Tunnel {
    Stream& stream;
    ProxyUrl proxy;
    Url target;
    std::chrono::milliseconds timeout;
    std::function<void(std::string)> done;
    std::string request, answer;
  };
  using boost::system::error_code;
  auto t = std::make_shared<Tunnel>(Tunnel{stream, proxy, target, timeout, std::move(done), {}, {}});
  t->request = connect_request(proxy, target);
  stream.expires_after(timeout);
  boost::asio::async_write(stream, boost::asio::buffer(t->request), [t](error_code ec, std::size_t) {
    const std::string who = "proxy " + t->proxy.where();
    if (ec) return t->done("cannot send CONNECT to " + who + ": " + ec.message());
    t->stream.expires_after(t->timeout);
    // The proxy says nothing after its answer until we speak: nothing read past it is the tunnel's.
    boost::asio::async_read_until(
        t->stream, boost::asio::dynamic_buffer(t->answer, 16 * 1024), "\r\n\r\n",
        [t, who](error_code e, std::size_t n) {
          if (e == boost::beast::error::timeout) return t->done("timeout waiting for " + who + " to open a tunnel");
          if (e == boost::asio::error::not_found) return t->done(who + " sent an answer too long to be one");
          if (e) return t->done(who + " closed the connection before opening a tunnel: " + e.message());
          t->done(read_answer(t->answer, n, t->proxy, t->target));
        });
  });
}

}  // namespace wsbook::net
