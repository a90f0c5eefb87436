// The crawl: its connections on one io thread, lines batched to the outputs,
// signals, stop conditions and the end-of-run summary. Asio, no Beast.
#include "wsbook/crawler.h"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <csignal>
#include <optional>

#include "capture/capture_format.h"
#include "connection.h"
#include "crawl_watch.h"
#include "feed/summary.h"
#include "feed/weight_pacer.h"
#include "output/line_router.h"
#include "wall_clock.h"

namespace wsbook {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using error_code = boost::system::error_code;

// Per connection, per book: the index of its output.
std::vector<std::vector<std::size_t>> book_outputs(const std::vector<CrawlConnection>& plan) {
  std::vector<std::vector<std::size_t>> v;
  for (const CrawlConnection& c : plan) v.push_back(c.book_outputs);
  return v;
}

std::vector<Output*> with_capture(std::vector<Output*> outputs, const CaptureTarget& capture) {
  if (capture.output != nullptr) outputs.push_back(capture.output);
  return outputs;
}

std::int64_t steady_ms() {
  return std::chrono::duration_cast<milliseconds>(net::CrawlClock::now().time_since_epoch()).count();
}

}  // namespace

std::string user_agent() { return std::string("wsbook/") + WSBOOK_VERSION; }

struct Crawler::Impl final : net::ConnectionHost {
  Impl(CrawlOptions o, std::vector<CrawlConnection> c, std::vector<Output*> outs, const Log& l, CaptureTarget cap)
      : options(std::move(o)), plan(std::move(c)), log(l), capture(std::move(cap)),
        router(with_capture(std::move(outs), capture), book_outputs(plan), options.count, log),
        // A lone connection's backoff keeps it under the limit already; many
        // connections reconnecting at once after a network blip would not be.
        connect_pacer(plan.size() > 1 ? options.connects_per_minute : 0),
        send_pacer(options.messages_per_second / 2.0, std::max(options.messages_per_second / 2, 1u)) {
    if (capture.raw) router.count_frames();
  }

  int run();
  bool start_connections();
  void stop(int code, std::string_view why);
  // stop(), if a write or --count asked for it; true if it did.
  bool stop_if_asked();
  void arm_clock();
  void schedule_flush();
  void on_signal(int signal);
  void wait_for_signal();
  void write_capture_header();
  void add_capture_line();
  std::uint64_t finish_outputs();
  metrics::CrawlSnapshot snapshot(bool with_process) const;

  bool stopping() const override { return is_stopping; }
  std::string& lines_for(const net::Connection& c) override { return router.lines_for(c.index()); }
  void placed(const net::Connection& c, std::size_t before, std::uint32_t n) override;
  milliseconds connect_slot() override { return connect_pacer.reserve(1, steady_ms()); }
  milliseconds send_slot() override { return send_pacer.reserve(1, steady_ms()); }
  void flush() override;
  void finished(const net::Connection& c, int code) override;
  void gave_up() override { stop(1, "a connection gave up"); }
  void closed() override;
  bool capturing() const override { return capture.output != nullptr; }
  void captured(const capture::Event& e) override;
  bool captured_frame(std::size_t c, std::int64_t us, std::string_view frame, bool binary) override;

  CrawlOptions options;
  std::vector<CrawlConnection> plan;
  const Log& log;
  CaptureTarget capture;
  LineRouter router;  // the capture, if any, is its last output
  // One thread runs everything; only stop() comes from outside, through post(),
  // which keeps its lock: the reactor's locking can go.
  asio::io_context ioc{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::unique_ptr<net::Connector> network = net::make_network_connector(tls);
  net::Connector* connector = network.get();  // tests put a fake network here
  net::CrawlTimer flush_timer{ioc}, duration_timer{ioc}, stop_guard{ioc}, clock_timer{ioc};
  asio::signal_set signals{ioc};
  net::CrawlWatch watch{ioc, log, [this](bool with_process) { return snapshot(with_process); }};
  WeightPacer connect_pacer, send_pacer;
  std::vector<std::unique_ptr<net::Connection>> connections;  // plan[i] is connections[i]
  std::string capture_line;  // an event's line on its way to the capture
  std::size_t finished_count = 0;
  bool all_unknown = true;  // every finished connection's venue knew none of its symbols
  bool flush_armed = false, is_stopping = false;
  std::optional<std::chrono::steady_clock::time_point> stopped_at;  // when stop() began
  int exit_code = 0;
};

int Crawler::Impl::run() {
  if (plan.empty() || router.outputs() == (capturing() ? 1u : 0u)) {
    log.error("nothing to crawl");
    return 1;
  }
  if (auto err = net::configure_tls(tls, options.connection); !err.empty()) {
    log.error(err);
    return 1;
  }
  // A port in use is found before any connection is made.
  if (auto err = options.metrics.empty() ? "" : watch.serve(options.metrics); !err.empty()) {
    log.error(err);
    return 1;
  }
  if (!start_connections()) return 1;
  if (options.status_line) watch.show_status();
  write_capture_header();
  if (options.handle_signals) {
    signals.add(SIGINT);
    signals.add(SIGTERM);
    signals.add(SIGHUP);
    wait_for_signal();
  }
  if (options.duration) {
    duration_timer.expires_after(*options.duration);
    duration_timer.async_wait([this](error_code ec) {
      if (!ec) stop(0, "--duration is over");
    });
  }
  arm_clock();
  ioc.run();
  watch.stop();
  flush();
  const std::uint64_t unwritten = finish_outputs();
  std::vector<const Feed*> feeds;
  for (const CrawlConnection& c : plan) feeds.push_back(c.feed);
  // The capture's lines are events, not lines, except where --raw makes the capture the output.
  const std::uint64_t captured = capturing() ? router.written(router.outputs() - 1) : 0;
  const std::uint64_t records = router.records(), taken = capture.raw ? captured : router.written() - captured;
  const std::uint64_t written = taken - std::min(taken, unwritten);
  log_summary(log, feeds, written - std::min(written, records), records);
  return exit_code;
}

// A reader that stopped reading gets --stop-timeout from the stop to catch up; lines it
// never took, or dropped on the way, make the run a failure. Returns the book outputs'
// lines never written (the capture's are events, unless --raw makes it the output).
std::uint64_t Crawler::Impl::finish_outputs() {
  const auto deadline = stopped_at.value_or(std::chrono::steady_clock::now()) + options.stop_timeout;
  const LineRouter::Finished f = router.finish(deadline);
  std::uint64_t unwritten = 0, all = 0;
  for (std::size_t i = 0; i < f.unwritten.size(); ++i) {
    all += f.unwritten[i];
    const bool capture_output = capturing() && i + 1 == f.unwritten.size();
    if (capture_output == capture.raw) unwritten += f.unwritten[i];
  }
  if (all > 0) exit_code = 1;
  if (f.timed_out) {
    log.error("gave up waiting for the output after " + std::to_string(options.stop_timeout.count()) +
              " ms (--stop-timeout)");
  }
  if (const std::uint64_t dropped = router.dropped(); dropped > 0) {
    log.error(std::to_string(dropped) + " lines were dropped while an output's reader was behind");
    exit_code = 1;
  }
  return unwritten;
}

bool Crawler::Impl::start_connections() {
  for (const CrawlConnection& c : plan) {
    std::string error;
    auto url = parse_ws_url(c.url, error);
    if (!url) {
      log.error("invalid URL " + c.url + ": " + error);
      return false;
    }
    connections.push_back(
        std::make_unique<net::Connection>(*this, ioc, *connector, tls, options, connections.size(), *url, c.label,
                                          *c.feed, log));
    connections.back()->set_symbols(c.symbols);
  }
  if (plan.size() > 1) log.info(std::to_string(plan.size()) + " connections planned");
  for (auto& c : connections) c->start();
  return true;
}

metrics::CrawlSnapshot Crawler::Impl::snapshot(bool with_process) const {
  metrics::CrawlSnapshot s;
  s.exchange = options.exchange;
  for (const CrawlConnection& c : plan) {
    for (SymbolReport& r : c.feed->symbol_reports()) s.symbols.push_back(std::move(r));
  }
  for (const auto& c : connections) {
    s.reconnects += c->reconnects();
    s.connections += c->open() ? 1 : 0;
  }
  s.lines = router.book_lines();
  s.output_bytes = router.written_bytes();
  s.output_errors = router.write_errors();
  s.output_dropped = router.dropped();
  s.now_ms = net::unix_ms();
  if (with_process) s.process = metrics::read_process_stats();
  return s;
}

// What the capture starts with, and starts again with after a reopen: enough to replay it alone.
void Crawler::Impl::write_capture_header() {
  if (!capturing()) return;
  capture::Header h{capture.exchange, WSBOOK_VERSION, options.interval.count(), capture.symbol_stale.count(),
                    capture.depth, {}};
  for (const CrawlConnection& c : plan) h.connections.push_back({c.url, c.symbols});
  capture_line.clear();
  capture::append_header(h, net::unix_us(), capture_line);
  add_capture_line();
}

void Crawler::Impl::captured(const capture::Event& e) {
  capture_line.clear();
  capture::append_event(e, capture_line);
  add_capture_line();
}

bool Crawler::Impl::captured_frame(std::size_t c, std::int64_t us, std::string_view frame, bool binary) {
  capture_line.clear();
  capture::append_frame(c, us, frame, binary, capture_line);
  const bool taken = router.add_frame(router.outputs() - 1, capture_line);
  schedule_flush();
  return taken;
}

void Crawler::Impl::add_capture_line() {
  router.add(router.outputs() - 1, capture_line);
  schedule_flush();
}

void Crawler::Impl::placed(const net::Connection& c, std::size_t before, std::uint32_t n) {
  router.placed(c.index(), c.feed().lines_of(), before, n);
  if (!stop_if_asked()) schedule_flush();
}

bool Crawler::Impl::stop_if_asked() {
  auto s = router.take_stop();
  if (!s) return false;
  if (s->code != 0) exit_code = s->code;  // also when the failed write was the last flush of a stop
  stop(s->code, s->why);
  return true;
}

// --interval: wakes at each multiple of it on the wall clock, reckoned afresh
// each time so that no delay adds up.
void Crawler::Impl::arm_clock() {
  const std::int64_t every_us = std::chrono::microseconds(options.interval).count();
  if (every_us <= 0 || is_stopping) return;
  const std::int64_t now = net::unix_us();
  const std::int64_t next = (now / every_us + 1) * every_us;
  clock_timer.expires_after(std::chrono::microseconds(next - now + 1000 * kClockGrace.count()));
  clock_timer.async_wait([this](error_code ec) {
    if (ec || is_stopping) return;
    const std::int64_t now_ms = net::unix_ms();
    for (auto& c : connections) c->on_clock(now_ms);
    flush();  // an instant's lines are all in: waiting for more would only make them late
    arm_clock();
  });
}

void Crawler::Impl::schedule_flush() {
  // Batches lines for a moment so a burst costs one write, not one per line.
  if (flush_armed || !router.waiting()) return;
  flush_armed = true;
  flush_timer.expires_after(options.flush_interval);
  flush_timer.async_wait([this](error_code) {
    flush_armed = false;
    flush();
  });
}

void Crawler::Impl::flush() {
  router.flush();
  stop_if_asked();
}

void Crawler::Impl::finished(const net::Connection&, int code) {
  all_unknown = all_unknown && code == 2;
  if (++finished_count < connections.size()) return;
  if (connections.size() > 1) log.error("no symbol left on any connection");
  stop(all_unknown ? 2 : 1, "no symbol left to crawl");
}

void Crawler::Impl::stop(int code, std::string_view why) {
  if (is_stopping) return;
  is_stopping = true;
  stopped_at = std::chrono::steady_clock::now();
  exit_code = code;
  duration_timer.cancel();
  clock_timer.cancel();
  signals.cancel();
  watch.stop();
  const std::string reason = "stopping: " + std::string(why);
  if (options.interval.count() > 0) {
    const std::int64_t now = net::unix_ms();  // the instants up to the end, before the books go
    for (auto& c : connections) c->on_clock(now);
  }
  for (auto& c : connections) c->close(reason);  // their last records first
  flush();
  closed();
  // A polite close gets a second at most; then we leave anyway.
  stop_guard.expires_after(std::chrono::seconds(1));
  stop_guard.async_wait([this](error_code ec) {
    if (!ec) ioc.stop();
  });
}

void Crawler::Impl::closed() {
  const bool any_live = std::any_of(connections.begin(), connections.end(), [](const auto& c) { return c->live(); });
  if (!any_live) ioc.stop();
}

void Crawler::Impl::wait_for_signal() {
  signals.async_wait([this](error_code ec, int signal) {
    if (!ec) on_signal(signal);
  });
}

void Crawler::Impl::on_signal(int signal) {
  if (signal == SIGHUP) {
    flush();
    if (auto err = router.reopen(); !err.empty()) {
      log.error(err);
      return stop(1, err);
    }
    write_capture_header();
    const std::size_t books = router.outputs() - (capturing() ? 1 : 0);
    log.info(books > 1 ? "reopened the " + std::to_string(books) + " outputs (SIGHUP)" : "reopened the output (SIGHUP)");
    return wait_for_signal();
  }
  const std::string name = signal == SIGINT ? "SIGINT" : "SIGTERM";
  log.info(name + ": closing");
  stop(0, name);
}

Crawler::Crawler(CrawlOptions options, Feed& feed, Output& output, const Log& log) {
  std::vector<CrawlConnection> one{{options.connection.url, &feed}};
  impl_ = std::make_unique<Impl>(std::move(options), std::move(one), std::vector<Output*>{&output}, log, CaptureTarget{});
}

Crawler::Crawler(CrawlOptions options, std::vector<CrawlConnection> connections, std::vector<Output*> outputs,
                 const Log& log, CaptureTarget capture)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(connections), std::move(outputs), log,
                                   std::move(capture))) {}

Crawler::~Crawler() = default;

int Crawler::run() { return impl_->run(); }

void Crawler::use_connector(net::Connector& connector) { impl_->connector = &connector; }

// Written on the io thread, which is run()'s: read once run() has returned.
std::optional<std::chrono::steady_clock::time_point> Crawler::stopped_at() const { return impl_->stopped_at; }

void Crawler::stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->stop(0, "asked to"); });
}

}  // namespace wsbook
