// The crawl: its connections on one io thread, lines batched to the outputs,
// signals, stop conditions and the end-of-run summary. Asio, no Beast.
#include "wsbook/crawler.h"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <csignal>
#include <optional>

#include "connection.h"
#include "wall_clock.h"
#include "feed/weight_pacer.h"
#include "output/line_batch.h"
#include "feed/summary.h"

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

// The one output every book of `c` writes to; nullopt when they write to several.
std::optional<std::size_t> single_target(const CrawlConnection& c) {
  if (c.book_outputs.empty()) return 0;
  const std::size_t first = c.book_outputs.front();
  const bool one = std::all_of(c.book_outputs.begin(), c.book_outputs.end(), [&](std::size_t o) { return o == first; });
  return one ? std::optional<std::size_t>(first) : std::nullopt;
}

// --interval: the clock wakes this long after each instant, so that a frame
// read just before it is in the books first.
constexpr std::chrono::microseconds kClockGrace{1'000};

std::int64_t steady_ms() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string user_agent() { return std::string("wsbook/") + WSBOOK_VERSION; }

struct Crawler::Impl final : net::ConnectionHost {
  Impl(CrawlOptions o, std::vector<CrawlConnection> c, std::vector<Output*> outs, const Log& l)
      : options(std::move(o)), plan(std::move(c)), log(l),
        // A lone connection's backoff keeps it under the limit already; many
        // connections reconnecting at once after a network blip would not be.
        connect_pacer(plan.size() > 1 ? options.connects_per_minute : 0),
        send_pacer(options.messages_per_second / 2.0, std::max(options.messages_per_second / 2, 1u)) {
    for (Output* out : outs) batches.emplace_back(*out);
    listed.assign(batches.size(), false);
  }

  int run();
  bool start_connections();
  void stop(int code, std::string_view why);
  // stop(), once no line of a frame is being laid out (a failed write found while placing one).
  void stop_soon(int code, std::string_view why);
  void arm_clock();
  void schedule_flush();
  void on_signal(int signal);
  void wait_for_signal();
  void deliver(std::size_t connection, const LineOf& of, std::string_view line);
  void add_to(std::size_t batch, std::string_view line);
  void mark_dirty(std::size_t batch);
  void flush_batch(std::size_t i);

  bool stopping() const override { return is_stopping; }
  std::string& lines_for(const net::Connection& c) override;
  void placed(const net::Connection& c, std::size_t before, std::uint32_t n) override;
  milliseconds connect_slot() override { return connect_pacer.reserve(1, steady_ms()); }
  milliseconds send_slot() override { return send_pacer.reserve(1, steady_ms()); }
  void flush() override;
  void finished(const net::Connection& c, int code) override;
  void gave_up() override { stop(1, "a connection gave up"); }
  void closed() override;

  CrawlOptions options;
  std::vector<CrawlConnection> plan;
  const Log& log;
  // One thread runs everything; only stop() comes from outside, through post(),
  // which keeps its lock: the reactor's locking can go.
  asio::io_context ioc{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  asio::ssl::context tls{asio::ssl::context::tls_client};
  asio::steady_timer flush_timer{ioc}, duration_timer{ioc}, stop_guard{ioc}, clock_timer{ioc};
  asio::signal_set signals{ioc};
  WeightPacer connect_pacer, send_pacer;
  std::vector<std::unique_ptr<net::Connection>> connections;  // plan[i] is connections[i]
  std::vector<std::optional<std::size_t>> targets;  // per connection: the one batch all its lines go to
  std::vector<std::vector<std::size_t>> reaches;    // per connection: every batch its books' lines go to
  std::vector<LineBatch> batches;
  std::vector<std::size_t> dirty;  // batches with lines waiting, each once
  std::vector<bool> listed;        // per batch: in `dirty`
  std::string routed;   // the lines of a connection whose books go to several outputs
  std::string scratch;  // a frame's lines while they are laid out one by one
  std::uint64_t lines = 0;  // book lines made, for --count
  std::uint64_t records = 0;  // --markers records written, an output each
  int placing = 0;  // placed() is on the stack: a stop waits for it
  std::optional<std::pair<int, std::string>> pending_stop;
  std::size_t finished_count = 0;
  bool all_unknown = true;  // every finished connection's venue knew none of its symbols
  bool flush_armed = false, is_stopping = false;
  int exit_code = 0;
};

int Crawler::Impl::run() {
  if (plan.empty() || batches.empty()) {
    log.error("nothing to crawl");
    return 1;
  }
  if (auto err = net::configure_tls(tls, options.connection); !err.empty()) {
    log.error(err);
    return 1;
  }
  if (!start_connections()) return 1;
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
  flush();
  std::vector<const Feed*> feeds;
  for (const CrawlConnection& c : plan) feeds.push_back(c.feed);
  std::uint64_t written = 0;
  for (const LineBatch& b : batches) written += b.written();
  log_summary(log, feeds, written - std::min(written, records), records);
  return exit_code;
}

bool Crawler::Impl::start_connections() {
  for (const CrawlConnection& c : plan) {
    std::string error;
    auto url = parse_wss_url(c.url, error);
    if (!url) {
      log.error("invalid URL " + c.url + ": " + error);
      return false;
    }
    connections.push_back(
        std::make_unique<net::Connection>(*this, ioc, tls, options, connections.size(), *url, c.label, *c.feed, log));
    targets.push_back(single_target(c));
    std::vector<std::size_t> reach = c.book_outputs.empty() ? std::vector<std::size_t>{0} : c.book_outputs;
    std::sort(reach.begin(), reach.end());
    reach.erase(std::unique(reach.begin(), reach.end()), reach.end());
    reaches.push_back(std::move(reach));
  }
  if (plan.size() > 1) log.info(std::to_string(plan.size()) + " connections planned");
  for (auto& c : connections) c->start();
  return true;
}


std::string& Crawler::Impl::lines_for(const net::Connection& c) {
  if (const auto& t = targets[c.index()]) return batches[*t].text();
  routed.clear();
  return routed;
}

// Lays out the lines a feed appended, records included, each to its output;
// --count N writes exactly N book lines, so a frame that brought more keeps only the first.
void Crawler::Impl::placed(const net::Connection& c, std::size_t before, std::uint32_t n) {
  const std::uint64_t limit = options.count.value_or(0);
  const std::vector<LineOf>& of = c.feed().lines_of();
  const auto& target = targets[c.index()];
  const bool record = !of.empty() && of[0].record;
  ++placing;
  if (target && n == 1 && !record && (limit == 0 || lines < limit)) {
    batches[*target].placed(before);  // the usual frame: one line, nothing to take apart
    mark_dirty(*target);
    if (batches[*target].size() >= kFlushBytes) flush_batch(*target);
    ++lines;
  } else {
    // Page padding goes between lines, so each is placed as if appended alone.
    std::string& text = target ? batches[*target].text() : routed;
    scratch.assign(text, before);
    text.resize(before);
    for (std::size_t i = 0, a = 0, b; i < n && (b = scratch.find('\n', a)) != std::string::npos; ++i, a = b + 1) {
      const LineOf line = i < of.size() ? of[i] : LineOf{};
      if (!line.record && limit != 0 && lines == limit) continue;
      if (!line.record) ++lines;
      deliver(c.index(), line, std::string_view(scratch).substr(a, b + 1 - a));
    }
  }
  --placing;
  if (pending_stop) return stop(pending_stop->first, pending_stop->second);
  if (limit != 0 && lines == limit) return stop(0, "--count lines written");
  schedule_flush();
}

// A line to the output of its book; a connection's record to those of all its books.
void Crawler::Impl::deliver(std::size_t connection, const LineOf& of, std::string_view line) {
  if (of.record) records += of.book == LineOf::kConnection && !targets[connection] ? reaches[connection].size() : 1;
  if (const auto& t = targets[connection]) return add_to(*t, line);
  if (of.book == LineOf::kConnection) {
    for (std::size_t batch : reaches[connection]) add_to(batch, line);
    return;
  }
  add_to(plan[connection].book_outputs.at(of.book), line);
}

void Crawler::Impl::mark_dirty(std::size_t batch) {
  if (listed[batch]) return;
  listed[batch] = true;
  dirty.push_back(batch);
}

void Crawler::Impl::add_to(std::size_t batch, std::string_view line) {
  mark_dirty(batch);
  batches[batch].add(line);
  if (batches[batch].size() >= kFlushBytes) flush_batch(batch);
}

// --interval: wakes at each multiple of it on the wall clock, reckoned afresh
// each time so that no delay adds up.
void Crawler::Impl::arm_clock() {
  const std::int64_t every_us = std::chrono::microseconds(options.interval).count();
  if (every_us <= 0 || is_stopping) return;
  const std::int64_t now = net::unix_us();
  const std::int64_t next = (now / every_us + 1) * every_us;
  clock_timer.expires_after(std::chrono::microseconds(next - now) + kClockGrace);
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
  if (flush_armed || dirty.empty()) return;
  flush_armed = true;
  flush_timer.expires_after(options.flush_interval);
  flush_timer.async_wait([this](error_code) {
    flush_armed = false;
    flush();
  });
}

void Crawler::Impl::flush() {
  std::vector<std::size_t> now;
  now.swap(dirty);  // a failed write stops the crawl, which flushes again
  for (std::size_t i : now) listed[i] = false;
  for (std::size_t i : now) flush_batch(i);
  now.clear();
  if (dirty.empty()) dirty.swap(now);  // keeps its capacity: no allocation per flush
}

void Crawler::Impl::flush_batch(std::size_t i) {
  const WriteResult r = batches[i].flush();
  if (r.status == WriteResult::Status::closed) {
    log.info(r.error + "; exiting");
    stop_soon(0, r.error);
  } else if (r.status == WriteResult::Status::failed) {
    log.error(r.error);
    exit_code = 1;  // also when the failed write was the last flush of a stop
    stop_soon(1, r.error);
  }
}

void Crawler::Impl::finished(const net::Connection&, int code) {
  all_unknown = all_unknown && code == 2;
  if (++finished_count < connections.size()) return;
  if (connections.size() > 1) log.error("no symbol left on any connection");
  stop(all_unknown ? 2 : 1, "no symbol left to crawl");
}

void Crawler::Impl::stop_soon(int code, std::string_view why) {
  if (placing == 0) return stop(code, why);
  if (!pending_stop) pending_stop.emplace(code, std::string(why));
}

void Crawler::Impl::stop(int code, std::string_view why) {
  if (is_stopping) return;
  is_stopping = true;
  exit_code = code;
  duration_timer.cancel();
  clock_timer.cancel();
  signals.cancel();
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
    for (LineBatch& b : batches) {
      if (auto err = b.reopen(); !err.empty()) {
        log.error(err);
        return stop(1, err);
      }
    }
    log.info(batches.size() > 1 ? "reopened the " + std::to_string(batches.size()) + " outputs (SIGHUP)"
                                : "reopened the output (SIGHUP)");
    return wait_for_signal();
  }
  const std::string name = signal == SIGINT ? "SIGINT" : "SIGTERM";
  log.info(name + ": closing");
  stop(0, name);
}

Crawler::Crawler(CrawlOptions options, Feed& feed, Output& output, const Log& log) {
  std::vector<CrawlConnection> one{{options.connection.url, &feed}};
  impl_ = std::make_unique<Impl>(std::move(options), std::move(one), std::vector<Output*>{&output}, log);
}

Crawler::Crawler(CrawlOptions options, std::vector<CrawlConnection> connections, std::vector<Output*> outputs,
                 const Log& log)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(connections), std::move(outputs), log)) {}

Crawler::~Crawler() = default;

int Crawler::run() { return impl_->run(); }

void Crawler::stop() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->stop(0, "asked to"); });
}

}  // namespace wsbook
