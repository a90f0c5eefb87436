#pragma once
// A network that is not there: the crawl's connections get their sessions from
// FakeNetwork instead of TCP and TLS, and the test plays the venue from its own
// thread (open, frames, the end and why). With CrawlClock::advance() the
// crawl's logic (backoff, retry limits, symbol timers) runs without real time.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/connector.h"
#include "net/crawl_clock.h"

namespace wsbook::testing {

/// One session of a fake network: the test's side of it.
class FakeSession final : public net::Session, public std::enable_shared_from_this<FakeSession> {
 public:
  /// A session of `listener`, on `ioc`'s thread.
  FakeSession(boost::asio::io_context& ioc, net::SessionListener& listener)
      : ioc_(ioc), listener_(listener), work_(ioc.get_executor()) {}

  // Each returns once the crawl has heard it (or has gone): a test moves the clock on only
  // after what came before it happened.
  /// The handshake is done.
  void open();
  /// One text frame from the venue, received now.
  void deliver(std::string frame);
  /// The connection ends for `end.reason`, e.g. with an HTTP status and a Retry-After.
  void end(net::SessionEnd end);
  /// The frames the crawl sent on it so far.
  std::vector<std::string> sent() const;
  /// How many WebSocket pings the crawl sent on it.
  int pings() const;
  /// Whether it has ended (by end(), a close by the crawl, or a feed's verdict).
  bool ended() const;

  /// The crawl sends `frame`: kept for sent().
  void send(std::string frame) override;
  /// The crawl pings: counted for pings().
  void ping() override;
  /// The crawl closes it: it ends, as a real one would, after this call.
  void close() override;

 private:
  void on_io(std::function<void()> fn);  // runs fn on the io thread, returns once it has
  void finish(net::SessionEnd end);      // on the io thread: on_end once

  boost::asio::io_context& ioc_;
  net::SessionListener& listener_;
  // Until it ends, as a real session's pending read, it keeps the crawl's io_context running.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  mutable std::mutex mutex_;
  std::vector<std::string> sent_;
  int pings_ = 0;
  bool ended_ = false;
};

/// Sessions on demand, none of them reaching a network.
class FakeNetwork final : public net::Connector {
 public:
  /// Puts the crawl on the test's clock: from now on no timer of it waits long for real time,
  /// so a CrawlClock::advance() is acted on at once.
  FakeNetwork() { net::CrawlClock::advance(std::chrono::milliseconds(0)); }
  std::shared_ptr<net::Session> start(boost::asio::io_context& ioc, const Url& url, const ConnectionOptions& options,
                                      net::SessionListener& listener) override;
  /// The `i`-th session the crawl started (from 0), once it has: nullptr if not within `timeout`
  /// (or if the crawl has let go of it).
  std::shared_ptr<FakeSession> session(std::size_t i, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// How many sessions the crawl has started.
  std::size_t sessions() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable started_;
  // Weak: a session goes with the crawl's connection that holds it, while the crawl's
  // io_context (which its work guard counts on) is still there.
  std::vector<std::weak_ptr<FakeSession>> sessions_;
};

}  // namespace wsbook::testing
