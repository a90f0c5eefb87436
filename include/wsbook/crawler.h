#pragma once
// The live crawler: connect, read, write lines, reconnect on every failure,
// forever or until told to stop. Beast stays behind this header.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wsbook/backoff.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/output.h"
#include "wsbook/url.h"

namespace wsbook {

namespace net {
class Connector;
}

/// How to reach the exchange.
struct ConnectionOptions {
  std::string url;                   ///< wss:// (or ws://) host[:port]/target, used as it is (crawl_options() leaves `{symbol}` for the caller)
  std::vector<std::string> headers;  ///< extra handshake headers, "Name: value"
  std::string cafile;                ///< PEM trust anchors instead of the system store
  bool insecure = false;             ///< skip certificate verification (warns on every connect)
  std::chrono::milliseconds step_timeout{10'000};   ///< each of resolve, connect, TLS, WebSocket handshake
  std::chrono::milliseconds stale_timeout{30'000};  ///< no frame for this long: the connection is dead
  std::size_t max_frame = std::size_t{64} << 20;    ///< larger frames are refused (reconnect)
  std::chrono::milliseconds send_spacing{0};        ///< at least this between two frames sent (venue rate limits)
  std::optional<ProxyUrl> proxy;  ///< tunnel wss and REST through this HTTP proxy (CONNECT); none: connect directly
  bool proxy_plain = true;        ///< the proxy tunnels ws:// too (--proxy); false: wss and https alone (https_proxy)
  std::string no_proxy;           ///< hosts reached directly all the same (no_proxy's list, see bypasses_proxy())
};

/// Everything the crawler loop needs besides the feed and the output.
struct CrawlOptions {
  ConnectionOptions connection;
  BackoffOptions backoff;
  std::string keep_alive_frame;                      ///< the venue's app-level ping; "" for a WebSocket ping
  std::chrono::milliseconds keep_alive_interval{0};  ///< how often; 0: none (pings when quiet still go out)
  std::optional<std::uint64_t> count;                    ///< stop after this many lines
  std::optional<std::chrono::milliseconds> duration;     ///< stop after this long
  std::chrono::milliseconds flush_interval{2};           ///< longest a line waits in memory
  std::chrono::milliseconds interval{0};  ///< --interval: wake the feeds at each multiple of it on the wall clock; 0: never
  std::chrono::milliseconds healthy_after{30'000};       ///< up this long with a book: the backoff starts over
  std::chrono::milliseconds stop_timeout{2'000};  ///< longest a stop waits for an output's reader (Output::finish)
  bool handle_signals = true;  ///< SIGINT/SIGTERM stop, SIGHUP reopens the output
  unsigned connects_per_minute = 0;  ///< the venue's limit on connection attempts (0: none); many connections stay under half
  unsigned messages_per_second = 0;  ///< the venue's limit on frames sent over all connections (0: none); half is used
  std::string exchange;      ///< the venue's --exchange name, the `exchange` label of the metrics
  std::string metrics;       ///< --metrics: serve /metrics on this ADDR:PORT; "": not at all
  bool status_line = false;  ///< redraw a status line under the log each second (stderr is a terminal)
};

/// One planned connection of a crawl: where it goes, and the feed of its books.
struct CrawlConnection {
  std::string url;   ///< wss:// (or ws://) host[:port]/target, symbols already filled in
  Feed* feed = nullptr;  ///< must outlive the crawler
  /// Per book of the feed (FeedOptions::symbols order): which output its lines go to; empty: all to the first.
  std::vector<std::size_t> book_outputs{};
  std::string label{};  ///< prefixes its log lines; "" for a crawl's only connection
  std::vector<std::string> symbols{};  ///< its books' symbols, as the user gave them (for the capture)
};

/// --capture: where every event that reaches a feed is recorded, for a replay.
struct CaptureTarget {
  Output* output = nullptr;  ///< nullptr: no capture; must outlive the crawler
  std::string exchange;      ///< the venue's --exchange name, for the capture's header
  std::chrono::milliseconds symbol_stale{0};  ///< the feeds' FeedOptions::symbol_stale, for the header
  std::size_t depth = 0;                      ///< the feeds' FeedOptions::depth, for the header
  bool raw = false;  ///< --raw: the capture is the crawl's output; --count counts its frames
};

/// Runs connections, each one session after another, until a stop condition.
class Crawler {
 public:
  /// One connection to options.connection.url; writes through `output`, logs through `log`; all must outlive it.
  Crawler(CrawlOptions options, Feed& feed, Output& output, const Log& log);
  /// Every connection of `connections` at once on one thread, paced by connects_per_minute;
  /// lines go to `outputs` as each connection's book_outputs say, events to `capture`. All must outlive it.
  Crawler(CrawlOptions options, std::vector<CrawlConnection> connections, std::vector<Output*> outputs,
          const Log& log, CaptureTarget capture = {});
  ~Crawler();
  Crawler(const Crawler&) = delete;
  Crawler& operator=(const Crawler&) = delete;

  /// Crawls until done; returns the exit code: 0 done or stopped, 1 runtime failure or no
  /// symbol left, 2 the venue knows none of the symbols.
  int run();
  /// Asks a running crawler to close politely and return; safe from any thread.
  void stop();
  /// Before run(): sessions come from `connector` (a test's fake network, src/net/connector.h),
  /// not from TCP and TLS; it must outlive the crawler.
  void use_connector(net::Connector& connector);
  /// When the crawl began to stop (its outputs' --stop-timeout counts from there); unset before.
  std::optional<std::chrono::steady_clock::time_point> stopped_at() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// "wsbook/<version>", sent as the User-Agent.
std::string user_agent();

}  // namespace wsbook
