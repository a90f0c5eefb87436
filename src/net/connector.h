#pragma once
// Internal: where a connection's sessions come from. The tool's connector
// opens a WebSocket over TCP (and TLS, and a proxy's tunnel); tests put a fake
// in its place to run the crawl's logic without a network (tests/support/fake_network.h).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>

#include "session.h"
#include "wsbook/crawler.h"
#include "wsbook/url.h"

namespace wsbook::net {

/// Starts sessions.
class Connector {
 public:
  virtual ~Connector() = default;
  /// Starts a session to `url` on `ioc`'s thread; `listener` hears of it there and must outlive it.
  virtual std::shared_ptr<Session> start(boost::asio::io_context& ioc, const Url& url,
                                         const ConnectionOptions& options, SessionListener& listener) = 0;
};

/// The network: start_session() with `tls` (which must outlive it).
std::unique_ptr<Connector> make_network_connector(boost::asio::ssl::context& tls);

}  // namespace wsbook::net
