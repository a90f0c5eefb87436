#include "feed/venue_feed.h"

#include <algorithm>
#include <chrono>

namespace wsbook {
namespace {

// Up to this many books, finding a frame's book is a scan of their names.
constexpr std::size_t kScanned = 8;
// How often one symbol may be resubscribed on one connection.
constexpr unsigned kResubscribesPerConnection = 5;
// How long updates of a resubscribed symbol may come without its snapshot.
constexpr std::chrono::milliseconds kSnapshotWait{10'000};

FrameResult resync(std::string message) { return {FrameResult::Kind::resync, 0, std::move(message)}; }

std::string level_text(const OrderBook& book, Side side) {
  std::string text;
  book.for_each_top(side, 1, [&](const Decimal&, const Level& level) { text = level.json(); });
  return text;
}

}  // namespace

std::string snapshot_message(const OrderBook& book) {
  return "initial snapshot: " + std::to_string(book.size(Side::bid)) + " bids, " +
         std::to_string(book.size(Side::ask)) + " asks";
}

void merge(FrameResult& into, FrameResult part) {
  const std::uint32_t lines = into.lines + part.lines;
  if (part.kind > into.kind || (part.kind == into.kind && into.message.empty())) into = std::move(part);
  into.lines = lines;
}

VenueFeed::VenueFeed(const Venue& venue, FeedOptions options, const Log& log, std::shared_ptr<WeightPacer> pacer)
    : venue_(venue), options_(std::move(options)), log_(log), parser_(venue.make_parser()),
      rule_(make_integrity_rule(venue.integrity())), kept_depth_(venue.kept_depth(options_.depth)),
      rest_(venue.rest_snapshots(options_.depth)), pacer_(std::move(pacer)), backoff_(options_.backoff) {
  if (!pacer_) pacer_ = std::make_shared<WeightPacer>(rest_ ? rest_->weight_per_minute : 0);
  if (rest_) rest_base_ = options_.rest_url.empty() ? rest_->base_url : options_.rest_url;
  const bool tag = options_.tag_lines.value_or(options_.symbols.size() > 1);
  for (const std::string& s : options_.symbols) {
    const auto index = static_cast<std::uint32_t>(books_.size());
    auto& b = books_.emplace_back(std::make_unique<SymbolBook>(index, s, venue.wire_symbol(s), options_.depth));
    if (tag) b->tag = R"({"exchange":")" + std::string(venue.name()) + R"(","symbol":")" + s + "\"";
    by_hash_.emplace_back(std::hash<std::string_view>{}(b->wire), b.get());
  }
  std::sort(by_hash_.begin(), by_hash_.end());
}

void VenueFeed::on_connect(Link& link) {
  // A new connection may speak differently (Kraken's precisions): a new parser.
  parser_ = venue_.make_parser();
  rule_->reset();
  std::vector<std::string> wire;
  had_snapshot_ = false;
  restarting_ = false;
  for (auto& b : books_) {
    if (b->state == SymbolBook::State::trusted && !b->broke_connection) {
      ++b->rebuilds;  // the last connection's book goes with it
      b->last_problem = "its connection ended";
    }
    b->broke_connection = false;
    b->book.clear();
    b->book.set_mode(BookMode::full_depth);
    b->chain = {};
    b->resubscribes = 0;
    b->resubscribed_ms = 0;
    b->rest.clear_buffered();
    b->rest.fetch_id = 0;  // an answer to the last connection's request is not for this one
    b->rest.known_floor = {};
    b->unconfirmed = false;
    b->heard_ms = 0;
    if (b->state == SymbolBook::State::rejected) continue;
    b->state = SymbolBook::State::waiting;
    wire.push_back(b->wire);
  }
  if (!options_.subscribe.empty()) {
    for (const std::string& f : options_.subscribe) link.send(f);
  } else if (!wire.empty()) {
    subscribe(wire, link);
  }
}

void VenueFeed::subscribe(const std::vector<std::string>& wire_symbols, Link& link) const {
  for (std::string& f : venue_.subscribe(wire_symbols, options_.depth)) link.send(std::move(f));
}

bool VenueFeed::has_snapshot() const { return had_snapshot_; }

SymbolBook* VenueFeed::find(std::string_view wire_symbol) {
  // A one-symbol connection's frames may not name it (Gemini v1).
  if (books_.size() == 1 && (wire_symbol.empty() || wire_symbol == books_[0]->wire)) return books_[0].get();
  if (books_.size() > kScanned) {
    const std::size_t h = std::hash<std::string_view>{}(wire_symbol);
    auto it = std::lower_bound(by_hash_.begin(), by_hash_.end(), std::pair<std::size_t, SymbolBook*>{h, nullptr});
    for (; it != by_hash_.end() && it->first == h; ++it) {
      if (it->second->wire == wire_symbol) return it->second;
    }
    return nullptr;
  }
  for (auto& b : books_) {
    if (b->wire == wire_symbol) return b.get();
  }
  return nullptr;
}

void VenueFeed::begin(std::int64_t now_ms, std::string& out) {
  lines_of_.clear();
  now_ms_ = now_ms;
  now_us_ = now_ms * 1000;
  out_ = &out;
}

FrameResult VenueFeed::finish(FrameResult result) {
  // Between the verdict and the connection's end no book of it may write a line (an --interval
  // instant) nor come back (a REST answer): the connection is done with.
  if (result.kind == FrameResult::Kind::resync) {
    drop_books(result.message);
    restarting_ = true;
  }
  result.lines = static_cast<std::uint32_t>(lines_of_.size());
  if (result.lines > 0 && result.kind == FrameResult::Kind::nothing) result.kind = FrameResult::Kind::line;
  out_ = nullptr;
  return result;
}

FrameResult VenueFeed::on_frame(std::string_view frame, Arrival at, Link& link, std::string& out) {
  begin(at.ms, out);
  now_us_ = at.us;
  if (restarting_) return finish({});
  // Received before an instant whose line is written already: the crawl was busy.
  if (next_instant_ != 0 && at.ms < next_instant_ - options_.interval.count()) ++stats_.late_frames;
  // The instants before this frame show the books as they were before it.
  write_instants(at.ms, out);
  return finish(handle_frame(frame, link, out));
}

FrameResult VenueFeed::handle_frame(std::string_view frame, Link& link, std::string& out) {
  ++stats_.frames;
  frame_text_ = frame;
  if (auto err = parser_->parse(frame, frame_); !err.empty()) {
    ++stats_.malformed;
    std::string reason = "malformed frame (" + std::string(err) + "): " + std::string(frame.substr(0, 200));
    SymbolBook* b = frame_.malformed_symbol.empty() ? nullptr : find(frame_.malformed_symbol);
    if (b == nullptr || b->state == SymbolBook::State::rejected) return resync(std::move(reason));
    return broken(*b, std::move(reason), link);  // nothing of it applied; only its book is in doubt
  }
  if (Verdict v = rule_->check_frame(frame_); !v.ok()) {
    ++stats_.gaps;
    return resync(std::move(v.reason));
  }
  FrameResult result;
  for (const Notice& n : frame_.notices) merge(result, on_notice(n, link));
  if (result.kind >= FrameResult::Kind::resync) return result;
  for (const BookMessage& msg : frame_.books) {
    SymbolBook* b = find(msg.symbol);
    if (b == nullptr || b->state == SymbolBook::State::rejected) continue;
    on_message(*b, msg, now_ms_, link, out, result);
    if (result.kind == FrameResult::Kind::resync) return result;
  }
  return result;
}

FrameResult VenueFeed::on_notice(const Notice& notice, Link& link) {
  const std::string venue(venue_.name());
  switch (notice.kind) {
    case Notice::Kind::rejected: {
      SymbolBook* b = find(notice.symbol);
      if (b == nullptr) {
        log_.error(venue + " refused a subscription: " + std::string(notice.text));
        return {};
      }
      return reject(*b, notice.text);
    }
    // Honoured like an HTTP 429: the connection goes and the next waits its backoff.
    case Notice::Kind::error: return resync(venue + " reports an error: " + std::string(notice.text));
    case Notice::Kind::reconnect: return resync(venue + " asks to reconnect: " + std::string(notice.text));
    case Notice::Kind::subscribed:
      log_.debug(venue + " subscribed " + std::string(notice.symbol));
      if (rest_) request_waiting_snapshots(link);
      return {};
    case Notice::Kind::heartbeat:
      heard(notice.symbol);
      return {};
    case Notice::Kind::pong: return {};
  }
  return {};
}

FrameResult VenueFeed::reject(SymbolBook& b, std::string_view reason) {
  record_gap(b, "rejected by the venue: " + std::string(reason));
  b.state = SymbolBook::State::rejected;
  log_.error(std::string(venue_.name()) + " rejected " + b.name + ": " + std::string(reason));
  const bool any_left = std::any_of(books_.begin(), books_.end(),
                                    [](const auto& x) { return x->state != SymbolBook::State::rejected; });
  if (any_left) return {};
  // Only symbols the venue does not know: the user's mistake, as a bad flag is.
  const bool all_unknown = std::all_of(books_.begin(), books_.end(), [](const auto& x) { return x->rest.unknown; });
  return {FrameResult::Kind::fatal, 0, "no symbol left to crawl", all_unknown ? 2 : 1};
}

// The hot path: nothing here allocates unless the book breaks or a snapshot comes.
void VenueFeed::on_message(SymbolBook& b, const BookMessage& msg, std::int64_t now_ms, Link& link, std::string& out,
                           FrameResult& result) {
  b.heard_ms = b.seen_ms = now_ms;
  if (b.frame_mark != stats_.frames) {
    b.frame_mark = stats_.frames;
    ++b.frames;
  }
  if (!msg.snapshot && b.state != SymbolBook::State::trusted) {
    if (rest_) return buffer_update(b, msg, link);
    ++stats_.dropped_before_snapshot;
    // Updates go on but no snapshot comes (Bybit: a resubscribe the venue took for a repeat): start over.
    if (b.resubscribed_ms != 0 && now_ms - b.resubscribed_ms > kSnapshotWait.count()) {
      merge(result, resync(b.name + ": no snapshot " + std::to_string(kSnapshotWait.count() / 1000) +
                                " s after resubscribing"));
    }
    return;
  }
  if (advance(b, msg, link, result) != Step::applied) return;
  if (msg.snapshot) {
    merge(result, {FrameResult::Kind::snapshot, 0, (books_.size() > 1 ? b.name + ": " : "") + snapshot_message(b.book)});
  }
  if (!msg.snapshot && msg.end_change == msg.first_change) return;
  write_update_line(b, out);
}

// The rule, then the book: a message the rule passes goes in, and the book is
// trusted after it only if nothing in it broke.
VenueFeed::Step VenueFeed::advance(SymbolBook& b, const BookMessage& msg, Link& link, FrameResult& result) {
  Verdict v = rule_->check_message(msg, b.chain);
  if (v.kind == Verdict::Kind::skip) return Step::skipped;
  if (!v.ok()) [[unlikely]] {
    ++stats_.gaps;
    merge(result, broken(b, std::move(v.reason), link));
    return Step::broke;
  }
  if (const Problem p = apply(b, msg); p != Problem::none) [[unlikely]] {
    merge(result, broken(b, describe(p, b, msg), link));
    return Step::broke;
  }
  if (msg.seq) b.chain.last_seq = msg.seq;
  b.chain.from_snapshot = msg.snapshot;
  b.last_seq = msg.seq;
  if (!msg.seq && frame_.connection_seq) b.last_seq = static_cast<std::int64_t>(*frame_.connection_seq);
  b.last_exchange_ms = msg.exchange_ms;
  b.last_recv_us = now_us_;
  if (msg.snapshot) {
    b.state = SymbolBook::State::trusted;
    b.resubscribed_ms = 0;
    had_snapshot_ = true;
    // A snapshot on a trusted book goes on its series (Bybit sends nothing else at depth 1);
    // a REST snapshot's record waits for the bridge.
    if (!rest_) record_resync(b);
  } else if (b.unconfirmed) {
    b.unconfirmed = false;  // the first update bridged a REST snapshot that came alone
    record_resync(b);
  }
  return Step::applied;
}

// Applies a message's changes, then checks what the book must satisfy before
// any line comes of it.
VenueFeed::Problem VenueFeed::apply(SymbolBook& b, const BookMessage& msg) {
  if (msg.snapshot) {
    b.book.clear();  // never a level left from an earlier book
    b.book.set_mode(BookMode::full_depth);
  }
  if (msg.top_of_book) b.book.set_mode(BookMode::top_of_book);
  // A message adds at most a level per change: the cap needs watching only when it could be passed.
  const std::size_t n = msg.end_change - msg.first_change;
  const bool near_cap = b.book.size(Side::bid) + n > options_.max_levels || b.book.size(Side::ask) + n > options_.max_levels;
  const std::uint64_t absent_before = b.book.absent_deletes();
  const bool floored = b.rest.known_floor[0] || b.rest.known_floor[1];
  for (std::size_t i = msg.first_change; i < msg.end_change; ++i) {
    const BookChange& c = frame_.changes[i];
    if (floored && beyond_floor(b, c)) continue;
    b.book.apply(c);
    // Checked as it grows, so that no frame can take memory past the cap.
    if (near_cap && b.book.size(c.side) > options_.max_levels) return Problem::too_many_levels;
  }
  stats_.absent_deletes += b.book.absent_deletes() - absent_before;
  if (kept_depth_ != 0) b.book.truncate(kept_depth_);
  if (rule_->verifies_checksum(msg) && parser_->checksum(b.wire, b.book) != *msg.checksum) {
    ++stats_.checksum_mismatches;
    return Problem::checksum;
  }
  if (b.book.crossed()) {
    ++stats_.crossed;
    return Problem::crossed;
  }
  if (floored && ((b.rest.known_floor[0] && b.book.size(Side::bid) < options_.depth) ||
                  (b.rest.known_floor[1] && b.book.size(Side::ask) < options_.depth))) {
    return Problem::beyond_snapshot;
  }
  return Problem::none;
}

// Why a book is broken, in words, for the log.
std::string VenueFeed::describe(Problem p, const SymbolBook& b, const BookMessage& msg) const {
  switch (p) {
    case Problem::too_many_levels:
      return "more than " + std::to_string(options_.max_levels) + " levels on one side (--max-levels)";
    case Problem::checksum:
      return "checksum mismatch: the venue says " + std::to_string(*msg.checksum) + ", the book gives " +
             std::to_string(parser_->checksum(b.wire, b.book));
    case Problem::crossed:
      return "crossed book: best bid " + level_text(b.book, Side::bid) + " >= best ask " +
             level_text(b.book, Side::ask);
    case Problem::beyond_snapshot:
      return "the book moved past the " + std::to_string(rest_ ? rest_->levels : 0) +
             " levels its snapshot knew: fewer than " + std::to_string(options_.depth) + " left on a side";
    case Problem::none: break;
  }
  return {};
}

FrameResult VenueFeed::broken(SymbolBook& b, std::string reason, Link& link, bool counted) {
  ++b.rebuilds;
  b.last_problem = reason;
  record_gap(b, reason);
  // A REST venue's stream goes on: only the snapshot is fetched again.
  if (rest_) return rebuild(b, std::move(reason));
  std::vector<std::string> unsubscribe = venue_.unsubscribe({b.wire}, options_.depth);
  // Where the venue cannot drop one symbol (or --subscribe says what to send), the connection goes.
  if (unsubscribe.empty() || !options_.subscribe.empty()) {
    b.broke_connection = true;
    return resync(std::move(reason));
  }
  // A symbol that keeps breaking must not resubscribe at full speed: the
  // connection goes instead, and the next one waits its backoff.
  if (counted && ++b.resubscribes > kResubscribesPerConnection) {
    b.broke_connection = true;
    return resync(b.name + ": " + reason + " (rebuilt " + std::to_string(kResubscribesPerConnection) +
                  " times on this connection)");
  }
  b.state = SymbolBook::State::waiting;
  b.resubscribed_ms = now_ms_;
  b.book.clear();
  b.chain = {};
  ++stats_.resubscribes;
  log_.warn(b.name + ": " + reason + "; resubscribing for a fresh book");
  for (std::string& f : unsubscribe) link.send(std::move(f));
  for (std::string& f : venue_.resubscribe({b.wire}, options_.depth)) link.send(std::move(f));
  return {};
}

void VenueFeed::write_line(SymbolBook& b, std::int64_t now_ms, std::string& out) {
  const std::size_t start = out.size();
  if (!b.tag.empty()) {
    // Many books in one stream: each line says whose it is, before `bids`; the
    // book part's own '{' becomes the comma after the tag.
    out += b.tag;
    b.writer.append_book(b.book, out);
    out[start + b.tag.size()] = ',';
  } else {
    b.writer.append_book(b.book, out);
  }
  if (options_.on_change) {
    const std::string_view body(out.data() + start, out.size() - start);
    if (body == b.last_book) {
      out.resize(start);
      return;
    }
    b.last_book.assign(body);
  }
  end_line(b, now_ms, out);
  ++stats_.lines;
  ++b.lines;
  lines_of_.push_back({b.index, false});
}

void VenueFeed::write_update_line(SymbolBook& b, std::string& out) {
  if (options_.interval.count() == 0) write_line(b, now_ms_, out);
}

std::unique_ptr<Feed> make_feed(const Venue& venue, const FeedOptions& options, const Log& log) {
  return std::make_unique<VenueFeed>(venue, options, log);
}

}  // namespace wsbook
