#include "connection.h"

#include "wall_clock.h"

namespace wsbook::net {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using error_code = boost::system::error_code;

constexpr milliseconds kTickInterval{1'000};

std::string seconds_text(milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

}  // namespace

Connection::Connection(ConnectionHost& host, asio::io_context& ioc, Connector& connector, asio::ssl::context& tls,
                       const CrawlOptions& options, std::size_t index, Url url, std::string label, Feed& feed,
                       const Log& log)
    : host_(host), options_(options), index_(index), url_(std::move(url)), label_(std::move(label)), feed_(feed), log_(log),
      backoff_(options.backoff), ioc_(ioc), connector_(connector), retry_timer_(ioc), ping_timer_(ioc), tick_timer_(ioc),
      send_timer_(ioc),
      fetcher_(ioc, tls, options.connection) {}

void Connection::start() {
  const milliseconds wait = host_.connect_slot();
  if (wait.count() <= 0) return connect();
  log_.debug(label_ + "connecting in " + seconds_text(wait) + " (the venue's connection limit)");
  retry_timer_.expires_after(wait);
  retry_timer_.async_wait([this](error_code ec) {
    if (!ec && !host_.stopping() && !done_) connect();
  });
}

void Connection::connect() {
  if (options_.connection.insecure && url_.tls) {
    log_.warn(label_ + "--insecure: the certificate of " + url_.host + " is NOT verified");
  }
  if (!url_.tls && !warned_plain_) {
    warned_plain_ = true;
    log_.warn(label_ + "ws://" + url_.host + ":" + url_.port +
              " is NOT encrypted: anyone on the path can read or change the feed");
  }
  log_.debug(label_ + "connecting to " + scheme() + url_.host + ":" + url_.port + url_.target);
  opened_ = false;
  session_ = connector_.start(ioc_, url_, options_.connection, *this);
}

void Connection::close(std::string_view reason) {
  if (feed_connected_) disconnected(reason, true);
  retry_timer_.cancel();
  ping_timer_.cancel();
  tick_timer_.cancel();
  send_timer_.cancel();
  fetcher_.cancel();
  done_ = true;
  if (session_) session_->close();
}

void Connection::on_open() {
  opened_at_ = CrawlClock::now();
  opened_ = true;
  feed_connected_ = true;
  restart_reason_.clear();
  const std::string where = url_.host + ":" + url_.port;
  const ConnectionOptions& c = options_.connection;
  const bool proxied = uses_proxy(url_, c.proxy, c.no_proxy, c.proxy_plain);
  log_.info(label_ + "connected to " + where + (proxied ? " through proxy " + c.proxy->where() : ""));
  const std::string how = (sessions_opened_++ == 0 ? "connected to " : "reconnected to ") + where;
  const std::int64_t now = unix_us();
  capture(capture::Kind::open, now, [&](capture::Event& e) {
    e.text = how;
    e.url = scheme() + where + url_.target;
    e.symbols = symbols_;
  });
  feed_.on_connect(*this);
  feed_call([&](std::string& out) { return feed_.record_connect(how, now / 1000, out); });
  keep_alive();
  tick();
}

void Connection::send(std::string frame) {
  if (!session_) return;
  capture(capture::Kind::send, unix_us(), [&](capture::Event& e) { e.text = frame; });
  outbox_.push_back(std::move(frame));
  if (outbox_.size() == 1) send_next();
}

// Frames go in order, each once the venue's limit per address lets it.
void Connection::send_next() {
  while (!outbox_.empty() && session_) {
    const milliseconds wait = host_.send_slot();
    if (wait.count() > 0) {
      send_timer_.expires_after(wait);
      send_timer_.async_wait([this](error_code ec) {
        if (ec || !session_ || outbox_.empty()) return;
        session_->send(std::move(outbox_.front()));
        outbox_.pop_front();
        send_next();
      });
      return;
    }
    session_->send(std::move(outbox_.front()));
    outbox_.pop_front();
  }
}

void Connection::fetch(FetchRequest request) {
  if (!session_ || host_.stopping()) return;
  capture(capture::Kind::fetch, unix_us(), [&](capture::Event& e) { e.request = request; });
  fetcher_.get(std::move(request), [this](FetchResponse response) { on_response(response); });
}

// Once the session is to end (a restart verdict, nothing left), nothing more of it reaches the feed.
bool Connection::listening() const { return session_ && !done_ && restart_reason_.empty(); }

void Connection::on_response(const FetchResponse& response) {
  if (host_.stopping() || !listening()) return;
  const std::int64_t now = unix_us();
  capture(capture::Kind::response, now, [&](capture::Event& e) { e.response = response; });
  if (!feed_call([&](std::string& out) { return feed_.on_response(response, now / 1000, *this, out); })) {
    session_->close();
  }
}

bool Connection::on_frame(std::string_view frame, std::int64_t received_us, bool binary) {
  if (host_.stopping() || !listening()) return true;
  // Past --raw's --count the frame is not captured, nor fed: what it would make could not be replayed.
  if (host_.capturing() && !host_.captured_frame(index_, received_us, frame, binary)) return true;
  return feed_call([&](std::string& out) { return feed_.on_frame(frame, Arrival::from_us(received_us), *this, out); });
}

void Connection::on_clock(std::int64_t now_ms) {
  // Also while the crawl stops: the instants up to its end are written before the books go.
  if (!listening()) return;
  capture(capture::Kind::clock, now_ms * 1000);
  feed_call([&](std::string& out) { return feed_.on_clock(now_ms, out); });
}

void Connection::disconnected(std::string_view reason, bool last) {
  feed_connected_ = false;
  const std::int64_t now = unix_us();
  capture(capture::Kind::end, now, [&](capture::Event& e) {
    e.text = reason;
    e.last = last;
  });
  feed_call([&](std::string& out) { return feed_.on_disconnect(reason, last, now / 1000, out); });
}

// What the feed made of a frame, a response or a tick; false: the session must go.
bool Connection::handle(const FrameResult& r, std::size_t before) {
  // Lines a frame wrote before its restart came from books that were still sound.
  if (r.lines > 0) host_.placed(*this, before, r.lines);
  if (r.kind == FrameResult::Kind::resync) {
    log_.warn(label_ + r.message + "; starting over with a fresh book");
    restart_reason_ = r.message;
    return false;
  }
  if (r.kind == FrameResult::Kind::snapshot) log_.info(label_ + r.message);
  if (r.kind == FrameResult::Kind::fatal) {
    log_.error(label_ + r.message);
    restart_reason_ = r.message;
    done_ = true;
    done_code_ = r.exit_code;
    return false;
  }
  return true;
}

void Connection::keep_alive() {
  if (options_.keep_alive_interval.count() <= 0) return;
  ping_timer_.expires_after(options_.keep_alive_interval);
  ping_timer_.async_wait([this](error_code ec) {
    if (ec || host_.stopping() || !session_) return;
    if (options_.keep_alive_frame.empty()) session_->ping();
    else send(options_.keep_alive_frame);
    keep_alive();
  });
}

void Connection::tick() {
  tick_timer_.expires_after(kTickInterval);
  tick_timer_.async_wait([this](error_code ec) {
    if (ec || host_.stopping() || !listening()) return;
    const std::int64_t now = unix_us();
    capture(capture::Kind::tick, now);
    if (!feed_call([&](std::string& out) { return feed_.on_tick(now / 1000, *this, out); })) return session_->close();
    tick();
  });
}

void Connection::on_end(const SessionEnd& end) {
  if (feed_connected_) disconnected(restart_reason_.empty() ? end.reason : restart_reason_, host_.stopping());
  host_.flush();
  session_.reset();
  fetcher_.cancel();  // the next session's books start over, and fetch anew
  ping_timer_.cancel();
  tick_timer_.cancel();
  send_timer_.cancel();
  outbox_.clear();  // the next session subscribes afresh
  if (host_.stopping()) {
    log_.debug(label_ + "connection closed: " + end.reason);
    return host_.closed();
  }
  if (done_) return host_.finished(*this, done_code_);
  retry(end);
}

// Only a session that delivered a snapshot (of any of its books) and then lasted counts as a success:
// one that dies right after its snapshot (a gap, a crossed book) must back off
// too, or a resync loop would hammer the venue's handshake limit forever. A
// session that never opened still sees the books of the one before it.
void Connection::retry(const SessionEnd& end) {
  const bool healthy =
      opened_ && feed_.has_snapshot() && CrawlClock::now() - opened_at_ >= options_.healthy_after;
  if (healthy) backoff_.reset();
  else backoff_.failed();
  if (backoff_.exhausted()) {
    log_.error(label_ + end.reason + "; giving up after " + std::to_string(backoff_.failures()) + " failed attempts");
    done_ = true;
    return host_.gave_up();
  }
  const milliseconds delay = backoff_.delay(end.retry_after);
  ++reconnects_;
  log_.warn(label_ + end.reason + "; reconnecting in " + seconds_text(delay));
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([this](error_code ec) {
    if (!ec && !host_.stopping() && !done_) start();
  });
}

}  // namespace wsbook::net
