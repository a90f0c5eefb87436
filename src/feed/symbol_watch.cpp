// The per-symbol side of VenueFeed: a symbol that went silent while its
// connection lives on, and what became of each symbol over the run.
#include <algorithm>

#include "feed/venue_feed.h"

namespace wsbook {
namespace {

// At most one silent symbol is resubscribed this often per connection, so that
// a connection of quiet symbols stays within the venue's subscription limits
// (OKX: 480 an hour).
constexpr std::int64_t kStaleSpacingMs = 10'000;

}  // namespace

void VenueFeed::heard(std::string_view symbol) {
  if (symbol.empty()) {
    // A connection's heartbeat speaks for its book when it carries one (Gemini v1).
    if (books_.size() == 1) books_[0]->heard_ms = books_[0]->seen_ms = now_ms_;
    return;
  }
  if (SymbolBook* b = find(symbol)) b->heard_ms = b->seen_ms = now_ms_;
}

FrameResult VenueFeed::on_tick(std::int64_t now_ms, Link& link, std::string& out) {
  begin(now_ms, out);
  if (restarting_) return finish({});
  return finish(resubscribe_stalest(now_ms, link));
}

FrameResult VenueFeed::resubscribe_stalest(std::int64_t now_ms, Link& link) {
  const std::int64_t stale_ms = options_.symbol_stale.count();
  if (stale_ms <= 0 || now_ms - stale_resubscribed_ms_ < kStaleSpacingMs) return {};
  // A lone book's connection has its own stale timer. Silence alone never
  // restarts a connection, and where a symbol cannot be resubscribed alone
  // (nor a REST venue's stream: a new snapshot would not revive it), the
  // connection's timer is the only one.
  if (books_.size() < 2 || rest_ || !options_.subscribe.empty()) return {};
  SymbolBook* stalest = nullptr;
  for (auto& b : books_) {
    if (b->state == SymbolBook::State::rejected || b->rest.fetch_id != 0) continue;
    if (b->heard_ms == 0) b->heard_ms = now_ms;  // its timer starts with the connection
    if (now_ms - b->heard_ms < stale_ms) continue;
    if (stalest == nullptr || b->heard_ms < stalest->heard_ms) stalest = b.get();
  }
  if (stalest == nullptr || venue_.unsubscribe({stalest->wire}, options_.depth).empty()) return {};
  stale_resubscribed_ms_ = now_ms;
  const std::string reason = "nothing of it for " + std::to_string((now_ms - stalest->heard_ms) / 1000) + " s";
  stalest->heard_ms = now_ms;  // the resubscription gets a whole timeout of its own
  // Silence is no fault of the book: it does not count toward restarting the connection.
  return broken(*stalest, reason, link, false);
}

std::vector<SymbolReport> VenueFeed::symbol_reports() const {
  std::vector<SymbolReport> reports;
  reports.reserve(books_.size());
  for (const auto& b : books_) {
    const bool trusted = b->state == SymbolBook::State::trusted && !b->unconfirmed;
    reports.push_back({b->name, b->lines, b->rebuilds, b->state == SymbolBook::State::rejected, trusted,
                       b->last_problem, b->frames, b->gaps, b->resyncs, b->seen_ms, b->book.size(Side::bid),
                       b->book.size(Side::ask)});
  }
  return reports;
}

std::vector<std::unique_ptr<Feed>> make_feeds(const Venue& venue, const std::vector<FeedOptions>& options,
                                              const Log& log) {
  const auto rest = options.empty() ? std::nullopt : venue.rest_snapshots(options.front().depth);
  auto pacer = std::make_shared<WeightPacer>(rest ? rest->weight_per_minute : 0);
  std::vector<std::unique_ptr<Feed>> feeds;
  for (const FeedOptions& o : options) feeds.push_back(std::make_unique<VenueFeed>(venue, o, log, pacer));
  return feeds;
}

}  // namespace wsbook
