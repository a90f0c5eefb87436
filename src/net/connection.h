#pragma once
// Internal: one of the crawl's connections, from its first connect to its
// last: its session and REST fetches, keep-alive, per-symbol ticks, and the
// backoff between one session and the next. Asio, no Beast.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "capture/capture_format.h"
#include "connector.h"
#include "crawl_clock.h"
#include "fetch.h"
#include "session.h"
#include "wsbook/backoff.h"
#include "wsbook/crawler.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/url.h"

namespace wsbook::net {

class Connection;

/// What a connection needs of the crawl it belongs to; called on the io thread.
class ConnectionHost {
 public:
  virtual ~ConnectionHost() = default;
  /// The crawl is closing: no new connect, no new line.
  virtual bool stopping() const = 0;
  /// Where `c`'s feed appends its lines.
  virtual std::string& lines_for(const Connection& c) = 0;
  /// `c`'s feed appended `n` whole lines to lines_for(c), from `before` on.
  virtual void placed(const Connection& c, std::size_t before, std::uint32_t n) = 0;
  /// How long a connect asked for now must wait, under the venue's connection limit.
  virtual std::chrono::milliseconds connect_slot() = 0;
  /// How long a frame to send now must wait, under the venue's message limit per address.
  virtual std::chrono::milliseconds send_slot() = 0;
  /// Writes every line waiting.
  virtual void flush() = 0;
  /// `c` has no symbol left (the venue rejected them all); `code` 2: it knows none of them.
  virtual void finished(const Connection& c, int code) = 0;
  /// A connection failed --max-retries times in a row: the crawl ends with exit code 1.
  virtual void gave_up() = 0;
  /// A session ended while the crawl was stopping.
  virtual void closed() = 0;
  /// Whether events are recorded (--capture).
  virtual bool capturing() const { return false; }
  /// Records an event that reached a feed.
  virtual void captured(const capture::Event& /*e*/) {}
  /// Records a frame that reached connection `c`, received at `us`; false: it is not to be fed.
  virtual bool captured_frame(std::size_t /*c*/, std::int64_t /*us*/, std::string_view /*frame*/, bool /*binary*/) {
    return true;
  }
};

/// One planned connection of the crawl, reconnecting until the crawl stops.
class Connection final : public SessionListener, public Link {
 public:
  /// The crawl's connection number `index`; `label` prefixes its log lines ("" when it is the only one).
  /// Its sessions come from `connector`, its REST fetches over `tls`.
  Connection(ConnectionHost& host, boost::asio::io_context& ioc, Connector& connector, boost::asio::ssl::context& tls,
             const CrawlOptions& options, std::size_t index, Url url, std::string label, Feed& feed,
             const Log& log);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Its books' symbols, for the capture.
  void set_symbols(std::vector<std::string> symbols) { symbols_ = std::move(symbols); }
  /// Connects, once the venue's connection limit allows.
  void start();
  /// Closes politely and does not reconnect: the crawl is stopping, for `reason`.
  void close(std::string_view reason);
  /// Writes the lines of the --interval instants up to `now_ms`.
  void on_clock(std::int64_t now_ms);
  /// A session is running (connecting, open or closing).
  bool live() const { return session_ != nullptr; }
  /// Its session got through the handshake and has not ended.
  bool open() const { return session_ != nullptr && opened_; }
  /// Reconnects it began after a session ended or failed.
  std::uint64_t reconnects() const { return reconnects_; }
  /// The feed of its books.
  const Feed& feed() const { return feed_; }
  /// Its number in the crawl.
  std::size_t index() const { return index_; }

 private:
  void connect();
  void on_open() override;
  bool on_frame(std::string_view frame, std::int64_t received_us, bool binary) override;
  void on_end(const SessionEnd& end) override;
  void send(std::string frame) override;
  void fetch(FetchRequest request) override;
  void on_response(const FetchResponse& response);
  bool handle(const FrameResult& r, std::size_t before);
  // Calls the feed with where its lines go, and handles what it made of it; false: the session must go.
  template <class Call>
  bool feed_call(Call&& call) {
    std::string& out = host_.lines_for(*this);
    const std::size_t before = out.size();
    return handle(call(out), before);
  }
  bool listening() const;
  const char* scheme() const { return url_.tls ? "wss://" : "ws://"; }
  // Records an event of `kind` at `us` (--capture); `fill` sets its details.
  template <class Fill>
  void capture(capture::Kind kind, std::int64_t us, Fill&& fill) {
    if (!host_.capturing()) return;
    capture::Event e;
    e.kind = kind;
    e.connection = index_;
    e.us = us;
    fill(e);
    host_.captured(e);
  }
  void capture(capture::Kind kind, std::int64_t us) {
    capture(kind, us, [](capture::Event&) {});
  }
  // The feed's books are gone with the session (`last`: and with the crawl).
  void disconnected(std::string_view reason, bool last);
  void retry(const SessionEnd& end);
  void send_next();
  void keep_alive();
  void tick();

  ConnectionHost& host_;
  const CrawlOptions& options_;
  std::size_t index_;
  Url url_;
  std::string label_;
  std::vector<std::string> symbols_;
  Feed& feed_;
  const Log& log_;
  Backoff backoff_;
  boost::asio::io_context& ioc_;
  Connector& connector_;
  CrawlTimer retry_timer_, ping_timer_, tick_timer_, send_timer_;
  std::deque<std::string> outbox_;  // frames waiting for the venue's message limit
  std::shared_ptr<Session> session_;
  Fetcher fetcher_;  // the feed's REST requests, for the session that asked
  CrawlClock::time_point opened_at_;
  bool opened_ = false;  // this session got through its handshake (the feed's books are its own)
  bool feed_connected_ = false;  // the feed heard of this session's start and not yet of its end
  std::uint64_t sessions_opened_ = 0;
  std::uint64_t reconnects_ = 0;
  bool warned_plain_ = false;  // ws://: said once that the feed is not encrypted
  std::string restart_reason_;  // why the feed asked to restart the session, if it did
  bool done_ = false;    // no session after this one
  int done_code_ = 0;
};

}  // namespace wsbook::net
