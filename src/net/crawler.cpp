// The crawler loop: one session after another, backoff between them, lines
// batched to the output, signals and stop conditions. Asio, no Beast.
#include "wsbook/crawler.h"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>

#include "fetch.h"
#include "session.h"

namespace wsbook {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using error_code = boost::system::error_code;

// A batch is written once it is this big, or after CrawlOptions::flush_interval.
// Each write(2) has a fixed cost; past a few hundred KiB the batch falls out of
// the cache before the kernel copies it. CPU per frame end to end, alternating
// binaries: 64 KiB 1.298 us against 256 KiB 1.287; 256 KiB 1.287 against 1 MiB 1.304.
constexpr std::size_t kFlushBytes = std::size_t{256} << 10;

std::string seconds_text(milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

}  // namespace

std::string user_agent() { return std::string("wsbook/") + WSBOOK_VERSION; }

struct Crawler::Impl final : net::SessionListener, Link {
  Impl(CrawlOptions o, Feed& f, Output& out, const Log& l)
      : options(std::move(o)), feed(f), output(out), log(l), backoff(options.backoff) {}

  int run();
  void connect();
  void stop(int code);
  void flush();
  void schedule_flush();
  void on_signal(int signal);
  void wait_for_signal();
  void log_summary() const;

  void on_open() override;
  bool on_frame(std::string_view frame, std::int64_t received_ms) override;
  void on_end(const net::SessionEnd& end) override;
  void send(std::string frame) override;
  void fetch(FetchRequest request) override;
  void on_response(const FetchResponse& response);
  bool handle(const FrameResult& r, std::size_t before);
  void keep_alive();
  void place_lines(std::size_t before, std::uint32_t n);

  CrawlOptions options;
  Feed& feed;
  Output& output;
  const Log& log;
  Backoff backoff;
  Url url;
  // One thread runs everything; only stop() comes from outside, through post(),
  // which keeps its lock: the reactor's locking can go.
  asio::io_context ioc{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  asio::ssl::context tls{asio::ssl::context::tls_client};
  asio::steady_timer retry_timer{ioc}, flush_timer{ioc}, duration_timer{ioc}, stop_guard{ioc}, ping_timer{ioc};
  asio::signal_set signals{ioc};
  std::shared_ptr<net::Session> session;
  std::unique_ptr<net::Fetcher> fetcher;  // the feed's REST requests, for the connection that asked
  std::string pending;  // whole lines not yet written
  std::string scratch;  // a frame's lines while they are laid out one by one
  PageLayout layout;    // of `pending`, for where it will land
  std::uint64_t lines = 0;          // lines made, for --count
  std::uint64_t pending_lines = 0;  // lines in `pending`
  std::uint64_t written_lines = 0;  // lines the output took
  std::chrono::steady_clock::time_point opened_at;
  bool opened = false;  // this connection got through its handshake (the feed's books are its own)
  bool flush_armed = false, stopping = false;
  int exit_code = 0;
};

int Crawler::Impl::run() {
  std::string error;
  auto parsed = parse_wss_url(options.connection.url, error);
  if (!parsed) {
    log.error("invalid URL " + options.connection.url + ": " + error);
    return 1;
  }
  url = *parsed;
  if (auto err = net::configure_tls(tls, options.connection); !err.empty()) {
    log.error(err);
    return 1;
  }
  fetcher = std::make_unique<net::Fetcher>(ioc, tls, options.connection);
  if (options.handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.add(SIGHUP);
    wait_for_signal();
  }
  if (options.duration) {
    duration_timer.expires_after(*options.duration);
    duration_timer.async_wait([this](error_code ec) {
      if (!ec) stop(0);
    });
  }
  layout.reset(output.placement());
  connect();
  ioc.run();
  flush();
  log_summary();
  return exit_code;
}

void Crawler::Impl::log_summary() const {
  const FeedStats& s = feed.stats();
  log.info(std::to_string(written_lines) + " lines written; " + std::to_string(s.frames) + " frames, " +
           std::to_string(s.dropped_before_snapshot) + " dropped before a snapshot, " +
           std::to_string(s.malformed) + " malformed, " + std::to_string(s.gaps) + " sequence gaps, " +
           std::to_string(s.checksum_mismatches) + " checksum mismatches, " + std::to_string(s.crossed) +
           " crossed books, " + std::to_string(s.resubscribes) + " books rebuilt on a live connection, " +
           std::to_string(s.absent_deletes) + " deletes of absent levels" +
           (s.fetches ? "; " + std::to_string(s.fetches) + " snapshots fetched, " +
                            std::to_string(s.fetch_failures) + " failed"
                      : std::string()));
}

void Crawler::Impl::connect() {
  if (options.connection.insecure) {
    log.warn("--insecure: the certificate of " + url.host + " is NOT verified");
  }
  log.debug("connecting to " + options.connection.url);
  opened = false;
  session = net::start_session(ioc, tls, url, options.connection, *this);
}

void Crawler::Impl::on_open() {
  opened_at = std::chrono::steady_clock::now();
  opened = true;
  log.info("connected to " + url.host + ":" + url.port);
  feed.on_connect(*this);
  keep_alive();
}

void Crawler::Impl::send(std::string frame) {
  if (session) session->send(std::move(frame));
}

void Crawler::Impl::fetch(FetchRequest request) {
  if (!session || stopping) return;
  fetcher->get(std::move(request), [this](FetchResponse response) { on_response(response); });
}

void Crawler::Impl::on_response(const FetchResponse& response) {
  if (stopping || !session) return;
  const std::size_t before = pending.size();
  const std::int64_t now_ms = std::chrono::duration_cast<milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch()).count();
  if (!handle(feed.on_response(response, now_ms, *this, pending), before)) session->close();
}

void Crawler::Impl::keep_alive() {
  if (options.keep_alive_interval.count() <= 0) return;
  ping_timer.expires_after(options.keep_alive_interval);
  ping_timer.async_wait([this](error_code ec) {
    if (ec || stopping || !session) return;
    if (options.keep_alive_frame.empty()) session->ping();
    else send(options.keep_alive_frame);
    keep_alive();
  });
}

bool Crawler::Impl::on_frame(std::string_view frame, std::int64_t received_ms) {
  if (stopping) return true;
  const std::size_t before = pending.size();
  return handle(feed.on_frame(frame, received_ms, *this, pending), before);
}

// What the feed made of a frame or a response; false: the connection must go.
bool Crawler::Impl::handle(const FrameResult& r, std::size_t before) {
  if (r.kind == FrameResult::Kind::resync) {
    log.warn(r.message + "; starting over with a fresh book");
    return false;
  }
  if (r.kind == FrameResult::Kind::snapshot) log.info(r.message);
  if (r.lines > 0) place_lines(before, r.lines);
  if (r.kind == FrameResult::Kind::fatal) {
    log.error(r.message);
    stop(r.exit_code);
  }
  return true;
}

// Lays out the lines a frame appended from `before` on, one by one; --count N
// writes exactly N lines, so a frame that brought more keeps only the first.
void Crawler::Impl::place_lines(std::size_t before, std::uint32_t n) {
  const std::uint64_t limit = options.count.value_or(0);
  const std::uint32_t appended = n;
  if (limit != 0 && lines + n > limit) n = static_cast<std::uint32_t>(limit - lines);
  if (appended == 1) {
    layout.placed(pending, before);  // the usual frame: one line, nothing to take apart
  } else {
    // Page padding goes between lines, so each is placed as if appended alone.
    scratch.assign(pending, before);
    pending.resize(before);
    for (std::size_t i = 0, a = 0; i < n; ++i) {
      const std::size_t b = scratch.find('\n', a);
      const std::size_t start = pending.size();
      pending.append(scratch, a, b + 1 - a);
      layout.placed(pending, start);
      a = b + 1;
    }
  }
  pending_lines += n;
  lines += n;
  if (limit != 0 && lines == limit) return stop(0);
  schedule_flush();
}

void Crawler::Impl::on_end(const net::SessionEnd& end) {
  flush();
  session.reset();
  fetcher->cancel();  // the next connection's books start over, and fetch anew
  ping_timer.cancel();
  if (stopping) {
    log.debug("connection closed: " + end.reason);
    ioc.stop();
    return;
  }
  // Only a connection that delivered its snapshot and then lasted counts as a
  // success: one that dies right after its snapshot (a gap, a crossed book)
  // must back off too, or a resync loop would hammer the exchange's handshake
  // limit (12 a minute) at --backoff-min forever.
  // A connection that never opened still sees the books of the one before it.
  const bool healthy =
      opened && feed.has_snapshot() && std::chrono::steady_clock::now() - opened_at >= options.healthy_after;
  if (healthy) backoff.reset();
  else backoff.failed();
  if (backoff.exhausted()) {
    log.error(end.reason + "; giving up after " + std::to_string(backoff.failures()) + " failed attempts");
    return stop(1);
  }
  const milliseconds delay = backoff.delay(end.retry_after);
  log.warn(end.reason + "; reconnecting in " + seconds_text(delay));
  retry_timer.expires_after(delay);
  retry_timer.async_wait([this](error_code ec) {
    if (!ec && !stopping) connect();
  });
}

void Crawler::Impl::schedule_flush() {
  // Batches lines for a moment so a burst costs one write, not one per line.
  if (pending.size() >= kFlushBytes) return flush();
  if (flush_armed || pending.empty()) return;
  flush_armed = true;
  flush_timer.expires_after(options.flush_interval);
  flush_timer.async_wait([this](error_code) {
    flush_armed = false;
    flush();
  });
}

void Crawler::Impl::flush() {
  if (pending.empty()) return;
  layout.seal(pending);
  const WriteResult r = output.write(pending);
  pending.clear();
  layout.reset(output.placement());
  if (r.status == WriteResult::Status::ok) written_lines += pending_lines;
  pending_lines = 0;
  if (r.status == WriteResult::Status::closed) {
    log.info(r.error + "; exiting");
    stop(0);
  } else if (r.status == WriteResult::Status::failed) {
    log.error(r.error);
    exit_code = 1;  // also when the failed write was the last flush of a stop
    stop(1);
  }
}

void Crawler::Impl::stop(int code) {
  if (stopping) return;
  stopping = true;
  exit_code = code;
  flush();
  retry_timer.cancel();
  duration_timer.cancel();
  signals.cancel();
  if (fetcher) fetcher->cancel();
  if (!session) return ioc.stop();
  session->close();
  // A polite close gets a second at most; then we leave anyway.
  stop_guard.expires_after(std::chrono::seconds(1));
  stop_guard.async_wait([this](error_code ec) {
    if (!ec) ioc.stop();
  });
}

void Crawler::Impl::wait_for_signal() {
  signals.async_wait([this](error_code ec, int signal) {
    if (!ec) on_signal(signal);
  });
}

void Crawler::Impl::on_signal(int signal) {
  if (signal == SIGHUP) {
    flush();
    if (auto err = output.reopen(); !err.empty()) {
      log.error(err);
      return stop(1);
    }
    layout.reset(output.placement());
    log.info("reopened the output (SIGHUP)");
    return wait_for_signal();
  }
  log.info(std::string(signal == SIGINT ? "SIGINT" : "SIGTERM") + ": closing");
  stop(0);
}

Crawler::Crawler(CrawlOptions options, Feed& feed, Output& output, const Log& log)
    : impl_(std::make_unique<Impl>(std::move(options), feed, output, log)) {}
Crawler::~Crawler() = default;

int Crawler::run() { return impl_->run(); }

void Crawler::stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->stop(0); });
}

}  // namespace wsbook
