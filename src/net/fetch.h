#pragma once
// Internal: HTTPS GETs on a feed's behalf (REST snapshots). Only fetch.cpp
// includes Beast; the crawler sees this small interface.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cstddef>
#include <functional>
#include <memory>

#include "wsbook/crawler.h"
#include "wsbook/feed.h"

namespace wsbook::net {

/// Response bodies larger than this are refused (status 0): a depth-5000 snapshot is a few MiB.
inline constexpr std::size_t kMaxFetchBody = std::size_t{64} << 20;

/// HTTPS GETs on a feed's behalf (REST snapshots): each on its own connection, with a timeout on every step.
class Fetcher {
 public:
  /// `tls` as configure_tls() set it up for `options` (step_timeout and insecure are read here);
  /// `ioc` and `tls` must outlive the Fetcher; bodies over `max_body` bytes are refused.
  Fetcher(boost::asio::io_context& ioc, boost::asio::ssl::context& tls, const ConnectionOptions& options,
          std::size_t max_body = kMaxFetchBody);
  /// Abandons what is in flight; no callback runs after it.
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  /// Starts `request` after request.delay; `done` gets the answer on the io_context's thread, exactly once,
  /// unless cancel() or the destructor comes first.
  void get(FetchRequest request, std::function<void(FetchResponse)> done);
  /// Abandons every request not answered yet (a connection ended): their `done` never runs.
  void cancel();
  /// Requests started and not yet answered or abandoned.
  std::size_t in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wsbook::net
