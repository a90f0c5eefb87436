#include "replay/replay.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "feed/summary.h"

namespace wsbook {
namespace {

constexpr std::size_t kReadBlock = std::size_t{1} << 20;
// As the live crawler's clock: it wakes this long after each --interval instant.
constexpr std::int64_t kClockGraceMs = 1;

// What a feed asks of its connection goes nowhere: the capture holds what came of it.
class NullLink final : public Link {
 public:
  void send(std::string) override {}
  void fetch(FetchRequest) override {}
};

NullLink null_link;

}  // namespace

CaptureFile::CaptureFile(const std::string& path) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
    return;
  }
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  own_ = fd_ >= 0;
  if (fd_ < 0) error_ = "cannot read the capture " + path + ": " + std::strerror(errno);
}

CaptureFile::~CaptureFile() {
  if (own_) ::close(fd_);
}

bool CaptureFile::next(std::string_view& line) {
  for (;;) {
    const std::size_t nl = buf_.find('\n', begin_);
    if (nl != std::string::npos) {
      line = std::string_view(buf_).substr(begin_, nl - begin_);
      begin_ = nl + 1;
      ++number_;
      return true;
    }
    if (eof_) return torn_ = begin_ < buf_.size(), false;
    buf_.erase(0, begin_);
    begin_ = 0;
    const std::size_t had = buf_.size();
    buf_.resize(had + kReadBlock);
    ssize_t n;
    while ((n = ::read(fd_, buf_.data() + had, kReadBlock)) < 0 && errno == EINTR) {
    }
    if (n < 0) error_ = std::string("reading the capture: ") + std::strerror(errno);
    buf_.resize(had + static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    eof_ = n <= 0;
  }
}

Replayer::Replayer(const capture::Header& header, std::vector<Feed*> feeds, LineRouter& router,
                   ReplayOptions options, const Log& log)
    : router_(router), options_(options),
      recorded_clock_(options.interval.count() > 0 && options.interval.count() == header.interval_ms), log_(log) {
  for (Feed* f : feeds) conns_.push_back({f});
}

int Replayer::run(CaptureFile& file) {
  capture::Reader reader;
  capture::Header ignored;
  capture::Event e;
  std::string_view line;
  while (file.next(line)) {
    bool is_header = false;
    if (std::string err = reader.parse(line, is_header, ignored, e); !err.empty()) {
      log_.error("the capture's line " + std::to_string(file.number()) + ": " + err);
      return 1;
    }
    if (is_header) continue;  // the capture went on in a new file (SIGHUP), and this is it
    if (e.connection >= conns_.size()) {
      log_.error("the capture's line " + std::to_string(file.number()) + ": connection " +
                 std::to_string(e.connection) + " is not in its header");
      return 1;
    }
    // Once stopped (--count), only the live stop's own clock and end events, if it stopped there too.
    if (stopped_ && e.kind != capture::Kind::clock && !(e.kind == capture::Kind::end && e.last)) continue;
    dispatch(e);
    if (stopped_ && stopped_->code != 0) break;
  }
  if (!file.error().empty()) {
    log_.error(file.error());
    return 1;
  }
  if (file.torn()) log_.warn("the capture's last line is torn: replayed up to it");
  return finish(e);
}

void Replayer::dispatch(const capture::Event& e) {
  using capture::Kind;
  const std::int64_t ms = e.us / 1000;
  pace(e.us);
  if (!recorded_clock_) advance_clock(ms);
  Conn& c = conns_[e.connection];
  const std::size_t i = e.connection;
  switch (e.kind) {
    case Kind::open:
      c.open = true;
      c.verdict = false;
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
      if (c.open && !c.verdict) call(i, [&](Feed& f, std::string& out) { return f.on_tick(ms, null_link, out); });
      break;
    case Kind::clock:
      if (recorded_clock_ && c.open && !c.verdict) call(i, [&](Feed& f, std::string& out) { return f.on_clock(ms, out); });
      break;
    case Kind::end:
      if (c.open) call(i, [&](Feed& f, std::string& out) { return f.on_disconnect(e.text, e.last, ms, out); });
      c.open = false;
      break;
    default: break;  // what the feed sent or asked for: the capture holds what came of it
  }
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
  if (r.kind == FrameResult::Kind::resync || r.kind == FrameResult::Kind::fatal) {
    log_.info(r.message + " (the live run started over)");
    c.verdict = true;
  } else if (r.kind == FrameResult::Kind::snapshot) {
    log_.debug(r.message);
  }
}

// --interval other than the capture's: its instants, as a live clock would have woken for them.
void Replayer::advance_clock(std::int64_t now_ms) {
  const std::int64_t every = options_.interval.count();
  if (every <= 0) return;
  if (next_instant_ < 0) next_instant_ = (now_ms / every + 1) * every;
  for (; next_instant_ + kClockGraceMs <= now_ms; next_instant_ += every) {
    for (std::size_t i = 0; i < conns_.size(); ++i) {
      if (!conns_[i].open || conns_[i].verdict) continue;
      call(i, [&](Feed& f, std::string& out) { return f.on_clock(next_instant_ + kClockGraceMs, out); });
    }
  }
}

void Replayer::pace(std::int64_t us) {
  if (options_.speed <= 0) return;
  if (first_us_ < 0) {
    first_us_ = us;
    started_ = std::chrono::steady_clock::now();
    return;
  }
  const auto due = std::chrono::microseconds(static_cast<std::int64_t>(static_cast<double>(us - first_us_) / options_.speed));
  std::this_thread::sleep_until(started_ + due);
}

// The sessions the capture leaves open end with it (a crawl killed, a capture cut short).
int Replayer::finish(const capture::Event& last) {
  const std::int64_t ms = last.us / 1000;
  const std::string reason = stopped_ ? "stopping: " + stopped_->why : "the capture ends";
  for (std::size_t i = 0; i < conns_.size() && !(stopped_ && stopped_->code != 0); ++i) {
    if (!conns_[i].open) continue;
    call(i, [&](Feed& f, std::string& out) { return f.on_disconnect(reason, true, ms, out); });
    conns_[i].open = false;
  }
  router_.flush();
  if (auto stop = router_.take_stop(); stop && (!stopped_ || stop->code != 0)) stopped_ = std::move(stop);
  std::vector<const Feed*> feeds;
  for (const Conn& c : conns_) feeds.push_back(c.feed);
  const std::uint64_t records = router_.records(), written = router_.written();
  log_summary(log_, feeds, written - std::min(written, records), records);
  return stopped_ ? stopped_->code : 0;
}

}  // namespace wsbook
