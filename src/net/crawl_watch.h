#pragma once
// Internal: what a running crawl shows of itself: --metrics over HTTP and, on a
// terminal, the status line under the log. Both read a snapshot of the crawl
// on the io thread, when they need one; neither waits for anything.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "metrics/exposition.h"
#include "metrics/metrics_server.h"
#include "wsbook/log.h"

namespace wsbook::net {

/// The metrics server and the status line of one crawl.
class CrawlWatch {
 public:
  /// The crawl now; with the process_ figures if asked.
  using Snapshot = std::function<metrics::CrawlSnapshot(bool with_process)>;
  /// `log` must outlive it.
  CrawlWatch(boost::asio::io_context& ioc, const Log& log, Snapshot snapshot);
  ~CrawlWatch();
  CrawlWatch(const CrawlWatch&) = delete;
  CrawlWatch& operator=(const CrawlWatch&) = delete;

  /// Serves /metrics on `address` ("ADDR:PORT"); "" or why it cannot.
  std::string serve(const std::string& address);
  /// Draws the status line on the log's terminal (stderr), redrawn each second.
  void show_status();
  /// Stops serving and takes the status line away.
  void stop();

 private:
  void redraw();

  const Log& log_;
  Snapshot snapshot_;
  std::optional<metrics::MetricsServer> server_;
  boost::asio::steady_timer status_timer_;
  bool showing_ = false;
  std::uint64_t last_lines_ = 0;
  std::chrono::steady_clock::time_point last_at_{};
};

}  // namespace wsbook::net
