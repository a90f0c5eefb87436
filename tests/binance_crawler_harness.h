#pragma once
// One port of our TLS test exchange serving Binance both ways: the combined
// stream (a script per WebSocket) and `/depth` GETs (each its own TCP
// connection, answered by a desk the stream's script steers), over one
// renderer whose true books both sides share under one lock. And the crawler,
// pointed at it with --rest-url, whose lines are checked against those books.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "crawl_harness.h"
#include "support/venue_book_binance.h"

namespace wsbook::testing {

/// What the exchange answers one snapshot GET with.
struct RestReply {
  int status = 200;
  std::vector<Connection::Header> headers{};
  std::string body{};
  std::chrono::milliseconds delay{0};  ///< sent this long after it was taken from the desk
};

/// One snapshot GET as the exchange saw it.
struct RestRequest {
  std::string target;
  std::chrono::steady_clock::time_point came, answered;
};

/// The exchange, the crawler, and the REST desk between them, for one test.
class BinanceExchange {
 public:
  /// What each WebSocket connection runs (after its upgrade was accepted).
  using Script = std::function<void(Connection&)>;
  using Clock = std::chrono::steady_clock;

  /// Books of `symbols` (wire form) of `venue` ("binance" or "binance-futures") at depth 10.
  BinanceExchange(const std::string& venue, const std::vector<std::string>& symbols);
  /// Stops the exchange (its scripts' waits give up), then the crawler.
  ~BinanceExchange();
  BinanceExchange(const BinanceExchange&) = delete;
  BinanceExchange& operator=(const BinanceExchange&) = delete;

  /// Starts the exchange with `ws`, then the crawler of every symbol with --rest-url at it; `feed` may adjust it.
  void start(Script ws, const std::function<void(FeedOptions&)>& feed = {});
  /// The crawler; after start().
  CrawlRun& run() { return *run_; }
  /// Runs `f` on the true books under the lock both sides take.
  template <class F>
  decltype(auto) locked(F&& f) {
    std::lock_guard lock(mutex_);
    return f(*venue_);
  }
  /// The venue's books, for the test body once the exchange's scripts are done.
  BinanceServer& venue() { return *venue_; }

  /// Reads the subscription (every symbol's stream in a SUBSCRIBE) and acks it.
  bool open(Connection& c);
  /// Sends the frame `make` renders under the lock.
  bool send(Connection& c, const std::function<std::string(BinanceServer&)>& make);
  /// `n` random deltas over `symbols`.
  void stream(Connection& c, int n, std::uint32_t seed, const std::vector<std::string>& symbols);
  /// Sends `symbol`'s deltas until the crawler wrote n lines of `other`.
  bool stream_until_lines(Connection& c, const std::string& symbol, const std::string& other, std::size_t n);

  /// The next GET of `symbol` gets `reply`; replies queued go out in order.
  void reply(const std::string& symbol, RestReply reply);
  /// The next `n` GETs of `symbol` with no reply queued get the book as it is then, remembered.
  void allow(const std::string& symbol, int n = 1);
  /// The GETs of `symbol` so far.
  std::vector<RestRequest> requests(const std::string& symbol) const;
  /// Waits (answering `c`'s pings) until `symbol` was asked for n times.
  bool wait_requests(Connection& c, const std::string& symbol, std::size_t n);
  /// Waits (answering `c`'s pings) until the crawler wrote at least n lines of `symbol`.
  bool wait_lines(Connection& c, const std::string& symbol, std::size_t n);
  /// WebSocket connections accepted (the GETs are TCP connections too).
  int websockets() const { return websockets_; }
  /// The scripts are done: the test can check.
  void finish() { done_ = true; }
  /// Once finish(): every symbol's lines are, in order, exactly its true states.
  void expect_exact_lines();

 private:
  void serve(Connection& c);
  void serve_rest(Connection& c);
  RestReply take_reply(const std::string& symbol);
  std::size_t lines_of(const std::string& symbol) const;
  bool wait(Connection& c, const std::function<bool()>& done);

  std::vector<std::string> symbols_;
  std::unique_ptr<BinanceServer> venue_;
  mutable std::mutex mutex_;  // the books, the desk and the request logs
  std::condition_variable desk_changed_;
  std::map<std::string, std::deque<RestReply>> replies_;
  std::map<std::string, int> allowed_;
  std::map<std::string, std::vector<RestRequest>> requests_;
  std::atomic<int> websockets_{0};
  std::atomic<bool> done_{false}, stopping_{false};
  Script ws_;
  FeedOptions feed_;  // the crawler's, for the replay of its capture
  std::unique_ptr<CrawlRun> run_;
  std::atomic<const CrawlRun*> started_{nullptr};  // run_ for the scripts, once it is made
  std::unique_ptr<TestExchange> server_;  // after run_: destroyed first, so no script outlives the run it watches
};

/// The query parameter `name` of a request target; "" if absent.
std::string query_param(const std::string& target, const std::string& name);

}  // namespace wsbook::testing
