#pragma once
// Internal: --metrics: an HTTP server on the crawl's io thread that answers
// GET /metrics with what a render function gives, and 404 for any other path.
// Only metrics_server.cpp includes Beast.

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>

#include "metrics/listen_address.h"

namespace wsbook::metrics {

/// Serves the exposition; every call on the io thread.
class MetricsServer {
 public:
  /// The body of a scrape, made when it is asked for.
  using Render = std::function<std::string()>;
  /// `render` is called on the io thread of `ioc`.
  MetricsServer(boost::asio::io_context& ioc, Render render);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  /// Binds `address` and starts accepting; "" or why it cannot (the port is in use).
  std::string listen(const ListenAddress& address);
  /// The address bound, as "host:port" (IPv6 in brackets).
  std::string bound() const;
  /// Stops accepting; scrapes under way end with the io thread.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wsbook::metrics
