#pragma once
// A made-up venue for feed tests: frames that say plainly what a real venue's
// parser would find in them, a link that keeps what the feed asked for, and a
// run that sends frames and splits what the feed wrote into lines.

#include <gmock/gmock.h>

#include <nlohmann/json.hpp>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "fake_link.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/venue.h"

namespace wsbook::testing {

using Kind = FrameResult::Kind;

/// Reads the "b" and "a" level lists of `j` as the changes of `m`; `keep` holds each text
/// where the change's views can point. "" or "bad decimal".
template <class Keep>
std::string_view read_levels(const nlohmann::json& j, BookMessage& m, ParsedFrame& out, Keep&& keep) {
  m.first_change = out.changes.size();
  for (const char* side : {"b", "a"}) {
    for (const auto& level : j.value(side, nlohmann::json::array())) {
      BookChange& c = out.changes.emplace_back();
      c.side = side[0] == 'b' ? Side::bid : Side::ask;
      if (!parse_decimal(keep(level[0]), c.price).empty() || !parse_decimal(keep(level[1]), c.amount).empty()) {
        return "bad decimal";
      }
    }
  }
  m.end_change = out.changes.size();
  return {};
}

// Frames of the fake venue: {"s":sym,"snap":bool,"seq":n,"prev":n,"crc":n,"t":ms,"b":[[p,a]],"a":[[p,a]],"conn":n}
// or {"reject":sym} / {"error":text}. Its checksum is the number of levels.
class FakeParser final : public VenueParser {
 public:
  std::string_view parse(std::string_view frame, ParsedFrame& out) override {
    out.clear();
    texts_.clear();
    const auto j = nlohmann::json::parse(frame, nullptr, false);
    if (!j.is_object()) return "not JSON";
    if (j.contains("conn")) out.connection_seq = j["conn"].get<std::uint64_t>();
    if (j.contains("reject")) out.notices.push_back({Notice::Kind::rejected, keep(j["reject"]), "unknown symbol"});
    if (j.contains("error")) out.notices.push_back({Notice::Kind::error, {}, keep(j["error"])});
    if (!j.contains("s")) return {};
    BookMessage& m = out.books.emplace_back();
    m.symbol = keep(j["s"]);
    m.snapshot = j.value("snap", false);
    if (j.contains("seq")) m.seq = j["seq"].get<std::int64_t>();
    if (j.contains("prev")) m.prev_seq = j["prev"].get<std::int64_t>();
    if (j.contains("crc")) m.checksum = j["crc"].get<std::uint32_t>();
    if (j.contains("t")) m.exchange_ms = j["t"].get<std::int64_t>();
    return read_levels(j, m, out, [this](const nlohmann::json& v) { return keep(v); });
  }
  std::uint32_t checksum(std::string_view, const OrderBook& book) const override {
    return static_cast<std::uint32_t>(book.size(Side::bid) + book.size(Side::ask));
  }

 private:
  std::string_view keep(const nlohmann::json& v) { return texts_.emplace_back(v.get<std::string>()); }
  std::deque<std::string> texts_;  // views into it stay put while it grows
};

class FakeVenue final : public Venue {
 public:
  FakeVenue(IntegrityKind kind, bool can_resubscribe) : kind_(kind), can_resubscribe_(can_resubscribe) {}
  std::string_view name() const override { return "fake"; }
  std::string default_url() const override { return "wss://fake/"; }
  std::string check_symbol(std::string_view) const override { return {}; }
  std::size_t symbols_per_connection() const override { return 10; }
  std::vector<std::string> subscribe(const std::vector<std::string>& s, std::size_t) const override {
    return {"sub " + join(s)};
  }
  std::vector<std::string> unsubscribe(const std::vector<std::string>& s, std::size_t) const override {
    if (!can_resubscribe_) return {};
    return {"unsub " + join(s)};
  }
  IntegrityKind integrity() const override { return kind_; }
  std::unique_ptr<VenueParser> make_parser() const override { return std::make_unique<FakeParser>(); }

 private:
  static std::string join(const std::vector<std::string>& s) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
    return out;
  }
  IntegrityKind kind_;
  bool can_resubscribe_;
};

struct FeedRun {
  FeedRun(IntegrityKind kind, std::vector<std::string> symbols, bool can_resubscribe = true, std::size_t max_levels = 1000)
      : FeedRun(kind, {.symbols = std::move(symbols), .depth = 2, .max_levels = max_levels}, can_resubscribe) {}
  FeedRun(IntegrityKind kind, const FeedOptions& options, bool can_resubscribe = true)
      : venue(kind, can_resubscribe), log(LogLevel::error, stderr), feed(make_feed(venue, options, log)) {
    feed->on_connect(link);
  }
  Kind send(const std::string& frame, std::int64_t now_ms = 7) {
    last = feed->on_frame(frame, now_ms, link, out);
    return last.kind;
  }
  std::vector<std::string> lines() const { return lines_in(out); }
  FakeVenue venue;
  Log log;
  FakeLink link;
  std::unique_ptr<Feed> feed;
  FrameResult last;
  std::string out;
};

}  // namespace wsbook::testing
