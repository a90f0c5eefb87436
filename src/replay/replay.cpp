#include "replay/replay.h"

#include <csignal>
#include <thread>

#include "feed/summary.h"

namespace wsbook {
namespace {

// What a feed asks of its connection goes nowhere: the capture holds what came of it.
class NullLink final : public Link {
 public:
  void send(std::string) override {}
  void fetch(FetchRequest) override {}
};

NullLink null_link;

volatile std::sig_atomic_t g_signal = 0;

void on_signal(int signal) { g_signal = signal; }

// The same run, as its header says: its venue, clock and connections.
bool same_run(const capture::Header& a, const capture::Header& b) {
  if (a.exchange != b.exchange || a.interval_ms != b.interval_ms || a.symbol_stale_ms != b.symbol_stale_ms ||
      a.depth != b.depth || a.connections.size() != b.connections.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.connections.size(); ++i) {
    if (a.connections[i].symbols != b.connections[i].symbols) return false;
  }
  return true;
}

}  // namespace

Replayer::Replayer(const capture::Header& header, std::vector<Feed*> feeds, LineRouter& router,
                   ReplayOptions options, const Log& log)
    : header_(header), router_(router), options_(options),
      recorded_clock_(options.interval.count() > 0 && options.interval.count() == header.interval_ms), log_(log) {
  for (Feed* f : feeds) conns_.push_back({f});
}

int Replayer::run(CaptureFile& file) {
  if (options_.handle_signals) {
    g_signal = 0;
    for (int s : {SIGINT, SIGTERM, SIGHUP}) std::signal(s, on_signal);
  }
  capture::Reader reader;
  capture::Event e;
  std::string_view line;
  while (file.next(line)) {
    if (const std::string err = read_event(reader, line, e); !err.empty()) {
      log_.error("the capture's line " + std::to_string(file.number()) + ": " + err);
      return fail();
    }
    if (e.kind == capture::Kind::header) continue;
    if (!take_signal(last_us_)) break;
    if (stopped_) {
      // The live run's own stop right after ours (the same --count): its instants and ends.
      if (e.kind != capture::Kind::clock && !(e.kind == capture::Kind::end && e.last)) break;
    }
    dispatch(e);
    last_us_ = e.us;
    if (stopped_ && stop_us_ < 0) stop_us_ = e.us;
    if (stopped_ && stopped_->code != 0) break;
  }
  if (!file.error().empty()) {
    log_.error(file.error());
    return fail();
  }
  if (file.torn()) log_.warn("the capture's last line is torn: replayed up to it");
  return finish();
}

// The next event of the capture; "" or what is wrong with it. A header like the first is the
// capture going on in a new file (SIGHUP): kind `header`, to skip.
std::string Replayer::read_event(capture::Reader& reader, std::string_view line, capture::Event& e) {
  bool is_header = false;
  capture::Header h;
  if (std::string err = reader.parse(line, is_header, h, e); !err.empty()) return err;
  if (is_header) {
    e.kind = capture::Kind::header;
    return same_run(h, header_) ? "" : "the header of another run: replay each capture on its own";
  }
  if (e.connection >= conns_.size()) return "connection " + std::to_string(e.connection) + " is not in its header";
  if (e.kind == capture::Kind::open && e.symbols != header_.connections[e.connection].symbols) {
    return "connection " + std::to_string(e.connection) + " opens with other symbols than its header's";
  }
  return "";
}

// SIGINT/SIGTERM end the replay as they end a crawl; SIGHUP reopens the outputs. False: stop reading.
bool Replayer::take_signal(std::int64_t now_us) {
  const int signal = g_signal;
  if (signal == 0) return true;
  g_signal = 0;
  if (signal == SIGHUP) {
    router_.flush();
    if (auto err = router_.reopen(); !err.empty()) return log_.error(err), stopped_ = {1, err}, stop_us_ = now_us, false;
    return true;
  }
  stopped_ = {0, signal == SIGINT ? "SIGINT" : "SIGTERM"};
  stop_us_ = now_us;
  return false;
}

// A bad line ends the replay: what came before it is written, and the sessions end.
int Replayer::fail() {
  finish();
  return 1;
}

void Replayer::dispatch(const capture::Event& e) {
  using capture::Kind;
  const std::int64_t ms = e.us / 1000;
  pace(e.us);
  if (!recorded_clock_) advance_clock(ms);
  Conn& c = conns_[e.connection];
  const std::size_t i = e.connection;
  const bool heard = c.open && !c.verdict;
  switch (e.kind) {
    case Kind::open:
      c = {c.feed, true, false, c.fatal_code};
      c.feed->on_connect(null_link);
      call(i, [&](Feed& f, std::string& out) { return f.record_connect(e.text, ms, out); });
      break;
    case Kind::frame:
      join(i);
      if (!c.verdict) call(i, [&](Feed& f, std::string& out) { return f.on_frame(e.frame, Arrival::from_us(e.us), null_link, out); });
      break;
    case Kind::response:
      join(i);
      if (!c.verdict) call(i, [&](Feed& f, std::string& out) { return f.on_response(e.response, ms, null_link, out); });
      break;
    case Kind::tick:
      if (heard) call(i, [&](Feed& f, std::string& out) { return f.on_tick(ms, null_link, out); });
      break;
    case Kind::clock:
      if (recorded_clock_ && heard) call(i, [&](Feed& f, std::string& out) { return f.on_clock(ms, out); });
      break;
    case Kind::end:
      if (c.open) call(i, [&](Feed& f, std::string& out) { return f.on_disconnect(e.text, e.last, ms, out); });
      c.open = false;
      break;
    default: break;  // what the feed sent or asked for: the capture holds what came of it
  }
  note_stop();
}

void Replayer::note_stop() {
  // A failed write outranks a stop asked for before it: the exit code must say so.
  if (auto stop = router_.take_stop(); stop && (!stopped_ || stop->code != 0)) stopped_ = std::move(stop);
}

// A capture that begins inside a session (it was reopened after SIGHUP): its books
// start over and wait for what the venue sends next, as after a connect.
void Replayer::join(std::size_t index) {
  Conn& c = conns_[index];
  if (c.open) return;
  c.open = true;
  c.verdict = false;
  c.feed->on_connect(null_link);
}

void Replayer::handle(Conn& c, std::size_t index, const FrameResult& r, std::size_t before) {
  if (r.lines > 0) router_.placed(index, c.feed->lines_of(), before, r.lines);
  if (r.kind == FrameResult::Kind::resync) {
    log_.info(r.message + "; the live run started over");
    c.verdict = true;
  } else if (r.kind == FrameResult::Kind::fatal) {
    log_.error(r.message);
    c.verdict = true;
    c.fatal_code = r.exit_code;
  } else if (r.kind == FrameResult::Kind::snapshot) {
    log_.debug(r.message);
  }
}

// --interval other than the capture's: its instants, as the live clock would have woken for them:
// each in turn, once late after a stall (the feed skips what it missed), afresh after a step back.
void Replayer::advance_clock(std::int64_t now_ms) {
  const std::int64_t every = options_.interval.count(), grace = kClockGrace.count();
  if (every <= 0) return;
  if (next_instant_ < 0 || now_ms + every + 1000 < next_instant_) next_instant_ = (now_ms / every + 1) * every;
  const bool stalled = now_ms - (next_instant_ + grace) > std::max<std::int64_t>(1000, 2 * every);
  for (; next_instant_ + grace <= now_ms; next_instant_ += every) {
    const std::int64_t wake = stalled ? now_ms : next_instant_ + grace;
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      if (conns_[i].open && !conns_[i].verdict) call(i, [&](Feed& f, std::string& out) { return f.on_clock(wake, out); });
    }
    if (stalled) next_instant_ = (now_ms / every) * every;
  }
}

void Replayer::pace(std::int64_t us) {
  if (options_.speed <= 0) return;
  if (first_us_ < 0) {
    first_us_ = us;
    started_ = std::chrono::steady_clock::now();
    return;
  }
  const auto due = started_ + std::chrono::microseconds(static_cast<std::int64_t>(static_cast<double>(us - first_us_) / options_.speed));
  if (due <= std::chrono::steady_clock::now()) return;
  router_.flush();  // a reader of a paced replay gets each line when it is due, not in batches
  note_stop();
  std::this_thread::sleep_until(due);
}

// The sessions still open end with the replay: at its stop, or where the capture ends (a crawl
// killed, a capture cut short).
int Replayer::finish() {
  const std::int64_t ms = (stop_us_ >= 0 ? stop_us_ : last_us_) / 1000;
  const std::string reason = stopped_ ? "stopping: " + stopped_->why : "the capture ends";
  for (std::size_t i = 0; i < conns_.size() && !(stopped_ && stopped_->code != 0); ++i) {
    if (!conns_[i].open) continue;
    call(i, [&](Feed& f, std::string& out) { return f.on_disconnect(reason, true, ms, out); });
    conns_[i].open = false;
  }
  router_.flush();
  note_stop();
  std::vector<const Feed*> feeds;
  bool all_fatal = !conns_.empty(), all_unknown = true;
  for (const Conn& c : conns_) {
    feeds.push_back(c.feed);
    all_fatal = all_fatal && c.fatal_code != 0;
    all_unknown = all_unknown && c.fatal_code == 2;
  }
  const std::uint64_t records = router_.records(), written = router_.written();
  log_summary(log_, feeds, written - std::min(written, records), records);
  if (stopped_) return stopped_->code;
  return all_fatal ? (all_unknown ? 2 : 1) : 0;  // as a crawl whose every symbol the venue refused
}

}  // namespace wsbook
