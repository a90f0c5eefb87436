// The half of VenueFeed for venues whose books start from a REST snapshot
// (Binance): updates are buffered from subscribing on, the snapshot is fetched,
// paced by the venue's weight limit, and the buffered updates are bridged to it
// by the venue's integrity rule. A broken book is fetched again; the stream and
// the other symbols go on.
#include <algorithm>

#include "feed/venue_feed.h"

namespace wsbook {
namespace {

// Updates buffered per symbol while its snapshot is on its way, at most so many
// and so large, so that a feed that never lets a snapshot through cannot grow
// us without bound; the oldest go first, and a snapshot then older than the
// first kept is fetched again.
constexpr std::size_t kMaxBuffered = 4096;
constexpr std::size_t kMaxBufferedBytes = std::size_t{32} << 20;
// How long after a subscription's ack its symbols' snapshots are fetched at the soonest.
constexpr std::chrono::milliseconds kAfterAck{1'000};
// How long a 429 or 418 without a Retry-After holds every request.
constexpr std::chrono::milliseconds kDefaultHold{60'000};

std::string wait_text(std::chrono::milliseconds d) {
  if (d.count() < 1000) return std::to_string(d.count()) + " ms";
  return std::to_string(d.count() / 1000) + "." + std::to_string(d.count() % 1000 / 100) + " s";
}

}  // namespace

void VenueFeed::buffer_update(SymbolBook& b, const BookMessage& msg, Link& link) {
  RestState& r = b.rest;
  r.buffered.push_back({msg.first_seq.value_or(0), std::string(frame_text_)});
  r.buffered_bytes += frame_text_.size();
  while (r.buffered.size() > kMaxBuffered || (r.buffered_bytes > kMaxBufferedBytes && r.buffered.size() > 1)) {
    r.buffered_bytes -= r.buffered.front().frame.size();
    r.buffered.pop_front();
    if (!r.capped) {
      r.capped = true;
      log_.warn(b.name + ": more than " + std::to_string(kMaxBuffered) + " updates or " +
                std::to_string(kMaxBufferedBytes >> 20) + " MiB buffered while its snapshot is on its way: the " +
                "oldest go (a snapshot older than the first kept is fetched again)");
    }
  }
  // Fetched once updates are on their way, so that the snapshot is newer than the first of them.
  if (b.rest.fetch_id == 0) request_snapshot(b, link, std::nullopt);
}

// Binance acknowledges a subscription for any symbol, known or not, and a quiet
// one may send nothing for long: its snapshot is fetched a while after the ack,
// once the updates of a busy one are surely buffered.
void VenueFeed::request_waiting_snapshots(Link& link) {
  for (auto& b : books_) {
    if (b->state == SymbolBook::State::waiting && b->rest.fetch_id == 0) {
      request_snapshot(*b, link, std::nullopt, kAfterAck);
    }
  }
}

void VenueFeed::request_snapshot(SymbolBook& b, Link& link, std::optional<std::chrono::milliseconds> retry_after,
                                 std::chrono::milliseconds at_least) {
  std::chrono::milliseconds delay = std::max(at_least, pacer_->reserve(rest_->weight, now_ms_));
  if (b.rest.failures > 0) delay = std::max(delay, backoff_.delay_after(b.rest.failures - 1, retry_after));
  b.rest.fetch_id = ++next_fetch_id_;
  ++stats_.fetches;
  std::string url = venue_.snapshot_url(rest_base_, b.wire, rest_->levels);
  log_.debug(b.name + ": fetching " + url + (delay.count() > 0 ? " in " + wait_text(delay) : std::string()));
  link.fetch({b.rest.fetch_id, std::move(url), delay});
}

FrameResult VenueFeed::on_response(const FetchResponse& response, std::int64_t now_ms, Link& link, std::string& out) {
  const auto it = std::find_if(books_.begin(), books_.end(),
                               [&](const auto& b) { return b->rest.fetch_id == response.id; });
  // Not asked for on this connection (or no longer wanted): nothing to do.
  begin(now_ms, out);
  if (!rest_ || response.id == 0 || it == books_.end() || restarting_) return finish({});
  SymbolBook& b = **it;
  b.rest.fetch_id = 0;
  if (response.status == 0) return finish(fetch_failed(b, "got no answer: " + response.error, std::nullopt, link));
  return finish(read_snapshot(b, response, link, out));
}

FrameResult VenueFeed::read_snapshot(SymbolBook& b, const FetchResponse& response, Link& link, std::string& out) {
  if (auto err = parser_->parse_snapshot(response.status, response.body, b.wire, frame_); !err.empty()) {
    return fetch_failed(b, "reply is malformed (" + std::string(err) + ")", std::nullopt, link);
  }
  for (const Notice& n : frame_.notices) {
    if (n.kind == Notice::Kind::rejected) {
      b.rest.unknown = true;
      return reject(b, n.text);
    }
    if (response.status == 429 || response.status == 418) {
      // The limit is the address's, not the symbol's: every request waits.
      pacer_->hold_until(now_ms_ + response.retry_after.value_or(kDefaultHold).count());
    }
    return fetch_failed(b, "refused: " + std::string(n.text), response.retry_after, link);
  }
  if (frame_.books.size() != 1 || !frame_.books[0].snapshot || !frame_.books[0].seq) {
    return fetch_failed(b, "reply holds no book", std::nullopt, link);
  }
  return bridge(b, frame_.books[0], link, out);
}

FrameResult VenueFeed::fetch_failed(SymbolBook& b, std::string reason,
                                    std::optional<std::chrono::milliseconds> retry_after, Link& link) {
  ++stats_.fetch_failures;
  ++b.rest.failures;
  log_.warn(b.name + ": snapshot " + reason + "; fetching it again");
  request_snapshot(b, link, retry_after);
  return {};
}

// Binance's steps: a snapshot older than the first buffered update cannot be
// bridged; else it goes in, then every buffered update the rule keeps.
FrameResult VenueFeed::bridge(SymbolBook& b, const BookMessage& snapshot, Link& link, std::string& out) {
  const std::int64_t id = *snapshot.seq;
  if (!b.rest.buffered.empty() && id < b.rest.buffered.front().first_seq) {
    return fetch_failed(b, "is older than the updates (its id " + std::to_string(id) + ", the first update's " +
                               std::to_string(b.rest.buffered.front().first_seq) + ")",
                        std::nullopt, link);
  }
  // Without an update yet, nothing shows the snapshot is as new as the stream
  // (a cache may serve an old one): its first line waits for the first update.
  const bool bridged = !b.rest.buffered.empty();
  FrameResult result;
  if (advance(b, snapshot, link, result) != Step::applied) return result;
  set_known_floors(b);
  const std::string replayed = bridged ? replay_buffered(b, link, result) : "no update yet";
  if (b.state != SymbolBook::State::trusted) return result;
  b.rest.failures = 0;
  b.unconfirmed = !bridged;
  // One line for the bridged book: the buffered updates' own moments are past.
  if (bridged) {
    record_resync(b);
    write_update_line(b, out);
  }
  merge(result, {FrameResult::Kind::snapshot, 0,
                 (books_.size() > 1 ? b.name + ": " : "") + snapshot_message(b.book) + " (REST id " +
                     std::to_string(id) + "; " + replayed + ")"});
  return result;
}

// Feeds the buffered updates through the rule into the freshly snapshotted book.
std::string VenueFeed::replay_buffered(SymbolBook& b, Link& link, FrameResult& result) {
  std::deque<RestState::Buffered> buffered = std::move(b.rest.buffered);
  b.rest.clear_buffered();
  std::size_t applied = 0, skipped = 0;
  for (const RestState::Buffered& u : buffered) {
    // Each frame parsed when it came; its messages for other symbols are theirs.
    if (!parser_->parse(u.frame, frame_).empty()) continue;
    for (const BookMessage& msg : frame_.books) {
      if (find(msg.symbol) != &b) continue;
      const Step step = advance(b, msg, link, result);
      if (step == Step::broke) return {};
      ++(step == Step::applied ? applied : skipped);
    }
  }
  return std::to_string(applied) + " buffered updates applied, " + std::to_string(skipped) + " already in it";
}

// A side that came with all the levels asked for may go deeper than the snapshot says.
void VenueFeed::set_known_floors(SymbolBook& b) {
  for (const Side side : {Side::bid, Side::ask}) {
    auto& floor = b.rest.known_floor[side == Side::bid ? 0 : 1];
    floor.reset();
    if (b.book.size(side) >= rest_->levels) floor = b.book.worst(side);
  }
}

bool VenueFeed::beyond_floor(const SymbolBook& b, const BookChange& c) const {
  const auto& floor = b.rest.known_floor[c.side == Side::bid ? 0 : 1];
  if (!floor) return false;
  return c.side == Side::bid ? c.price.value < *floor : *floor < c.price.value;
}

FrameResult VenueFeed::rebuild(SymbolBook& b, std::string reason) {
  b.state = SymbolBook::State::waiting;
  b.book.clear();
  b.chain = {};
  b.rest.clear_buffered();
  b.rest.known_floor = {};
  ++b.rest.failures;
  ++stats_.resubscribes;
  // The next update of the symbol starts the buffer and the fetch, after the backoff.
  log_.warn(b.name + ": " + reason + "; rebuilding it from a new snapshot");
  return {};
}

}  // namespace wsbook
