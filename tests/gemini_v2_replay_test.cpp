// GeminiV2Parser over the real 10-symbol v2 capture: every book it builds is
// checked against an independent reference book written here.

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "test_data.h"
#include "wsbook/gemini.h"
#include "wsbook/order_book.h"
#include "wsbook/snapshot.h"

namespace wsbook {
namespace {

using nlohmann::json;

/// Splits a plain decimal text into its integer and fraction digits; fails the
/// test on anything else (the capture holds only plain decimals).
std::pair<std::string, std::string> split_decimal(const std::string& text) {
  const auto dot = text.find('.');
  std::string units = text.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  EXPECT_FALSE(units.empty()) << text;
  EXPECT_EQ(units.find_first_not_of("0123456789"), std::string::npos) << text;
  EXPECT_EQ(frac.find_first_not_of("0123456789"), std::string::npos) << text;
  units.erase(0, std::min(units.find_first_not_of('0'), units.size() - 1));
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return {units, frac};
}

/// Canonical text: no leading integer zeros, no trailing fraction zeros, no trailing dot.
std::string canonical(const std::string& text) {
  const auto [units, frac] = split_decimal(text);
  return frac.empty() ? units : units + "." + frac;
}

/// A key that sorts as the number does: integer part left-padded to 24 digits,
/// fraction right-padded to 24 digits.
std::string sort_key(const std::string& text) {
  auto [units, frac] = split_decimal(text);
  EXPECT_LE(units.size(), 24u) << text;
  EXPECT_LE(frac.size(), 24u) << text;
  return std::string(24 - std::min<std::size_t>(units.size(), 24), '0') + units + "." + frac +
         std::string(24 - std::min<std::size_t>(frac.size(), 24), '0');
}

/// wsbook's Decimal written out as canonical text (to check the book's map keys).
std::string decimal_text(const Decimal& d) {
  std::string frac = std::to_string(d.frac);
  frac.insert(0, 18 - frac.size(), '0');
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return frac.empty() ? std::to_string(d.units) : std::to_string(d.units) + "." + frac;
}

/// The reference book of one symbol: sort key -> canonical "[price,amount]".
struct RefBook {
  std::map<std::string, std::string> bids, asks;

  void apply(const json& change) {
    const std::string& side = change.at(0).get_ref<const std::string&>();
    const std::string price = change.at(1).get<std::string>();
    const std::string qty = change.at(2).get<std::string>();
    ASSERT_TRUE(side == "buy" || side == "sell") << side;
    auto& levels = side == "buy" ? bids : asks;
    if (canonical(qty) == "0") {
      levels.erase(sort_key(price));
    } else {
      levels[sort_key(price)] = "[" + canonical(price) + "," + canonical(qty) + "]";
    }
  }

  /// All levels of a side, best first.
  std::vector<std::string> levels(Side side) const {
    std::vector<std::string> out;
    if (side == Side::bid) {
      for (auto it = bids.rbegin(); it != bids.rend(); ++it) out.push_back(it->second);
    } else {
      for (const auto& [key, level] : asks) out.push_back(level);
    }
    return out;
  }

  /// `{"bids":[...],"asks":[...]` with the best `depth` levels per side.
  std::string line(std::size_t depth) const {
    const auto join = [depth](const std::vector<std::string>& levels) {
      std::string s = "[";
      for (std::size_t i = 0; i < levels.size() && i < depth; ++i) s += (i ? "," : "") + levels[i];
      return s + "]";
    };
    return R"({"bids":)" + join(levels(Side::bid)) + R"(,"asks":)" + join(levels(Side::ask));
  }

  bool crossed() const { return !bids.empty() && !asks.empty() && bids.rbegin()->first >= asks.begin()->first; }
};

/// Our book's line, as the crawler writes it.
std::string book_line(const OrderBook& book, std::size_t depth) {
  std::string s;
  append_book_json(book, depth, s);
  return s;
}

/// All levels of one side of our book, best first, each as "[price,amount]"
/// with the price rendered from the map key rather than from the level text.
std::vector<std::string> book_levels(const OrderBook& book, Side side) {
  std::vector<std::string> out;
  book.for_each_top(side, std::numeric_limits<std::size_t>::max(), [&](const Decimal& price, const Level& level) {
    const std::string text(level.json());
    const auto comma = text.find(',');
    EXPECT_EQ(text.substr(1, comma - 1), decimal_text(price)) << text;  // key and text agree
    EXPECT_EQ(text.substr(comma + 1, text.size() - comma - 2), decimal_text(level.amount)) << text;
    out.push_back(text);
  });
  return out;
}

TEST(GeminiV2Replay, TheRealCaptureBuildsTheSameBooksAsAnIndependentReference) {
  const auto frames = testing::v2_capture_frames();
  ASSERT_EQ(frames.size(), 678u);
  const std::set<std::string> subscribed = {"BTCGBP", "LINKETH", "FILUSD", "ZECLTC", "BATBTC",
                                            "ETHEUR", "LTCETH",  "GRTUSD", "ANKRUSD", "ALCXUSD"};

  GeminiV2Parser parser;
  V2Message msg;
  std::map<std::string, OrderBook> ours;
  std::map<std::string, RefBook> reference;
  std::set<std::string> snapshotted;
  std::size_t snapshots = 0, deltas = 0, trades = 0, heartbeats = 0, changes_applied = 0;

  for (std::size_t i = 0; i < frames.size(); ++i) {
    const std::string& frame = frames[i];
    const std::string_view err = parser.parse(frame, msg);
    ASSERT_TRUE(err.empty()) << "reason: " << err << "\nframe " << i << ": " << frame;
    const json j = json::parse(frame);
    const std::string type = j.at("type");

    if (type == "heartbeat") {
      ASSERT_EQ(msg.type, V2Message::Type::heartbeat) << i;
      ASSERT_EQ(msg.timestamp_ms, j.at("timestamp").get<std::int64_t>()) << i;
      ++heartbeats;
      continue;
    }
    if (type == "trade") {
      ASSERT_EQ(msg.type, V2Message::Type::trade) << i;
      ASSERT_EQ(msg.symbol, j.at("symbol").get<std::string>()) << i;
      ASSERT_EQ(msg.trade.tid, j.at("event_id").get<std::uint64_t>()) << i;
      ASSERT_EQ(msg.trade.price.text, canonical(j.at("price"))) << i;
      ASSERT_EQ(msg.trade.amount.text, canonical(j.at("quantity"))) << i;
      ASSERT_EQ(msg.trade.maker_side, j.at("side") == "buy" ? MakerSide::ask : MakerSide::bid) << i;
      ++trades;
      continue;
    }
    ASSERT_EQ(type, "l2_updates") << i;
    ASSERT_EQ(msg.type, V2Message::Type::l2_updates) << i;

    // Reference side: nlohmann::json and strings only.
    const std::string symbol = j.at("symbol");
    ASSERT_TRUE(subscribed.count(symbol)) << symbol;
    const bool ref_snapshot = j.contains("trades") || j.contains("auction_events");
    if (ref_snapshot) {
      reference[symbol] = RefBook{};
      snapshotted.insert(symbol);
      ++snapshots;
    } else {
      ASSERT_TRUE(snapshotted.count(symbol)) << "delta before snapshot for " << symbol << " at frame " << i;
      ++deltas;
    }
    for (const auto& change : j.at("changes")) reference[symbol].apply(change);

    // Our side: the parser's message into a wsbook::OrderBook.
    ASSERT_EQ(msg.symbol, symbol) << i;
    ASSERT_EQ(msg.snapshot, ref_snapshot) << i;
    ASSERT_EQ(msg.changes.size(), j.at("changes").size()) << i;
    OrderBook& book = ours.try_emplace(symbol).first->second;
    if (msg.snapshot) book.clear();
    for (const BookChange& c : msg.changes) book.apply(c);
    changes_applied += msg.changes.size();

    // Every book, after every l2 frame: the same top 10, never crossed.
    for (const auto& [sym, ref] : reference) {
      const OrderBook& b = ours.at(sym);
      ASSERT_EQ(book_line(b, 10), ref.line(10)) << "symbol " << sym << " after frame " << i;
      ASSERT_FALSE(b.crossed()) << "symbol " << sym << " after frame " << i;
      ASSERT_FALSE(ref.crossed()) << "symbol " << sym << " after frame " << i;
    }
  }

  // The capture was really replayed.
  EXPECT_EQ(snapshots, 10u);
  EXPECT_EQ(deltas, 645u);
  EXPECT_EQ(trades, 16u);
  EXPECT_EQ(heartbeats, 7u);
  EXPECT_EQ(snapshotted, subscribed);
  EXPECT_GT(changes_applied, 2000u);

  // At the end: every level of every book, on both sides.
  std::size_t levels_compared = 0;
  for (const auto& [sym, ref] : reference) {
    SCOPED_TRACE(sym);
    const OrderBook& b = ours.at(sym);
    for (const Side side : {Side::bid, Side::ask}) {
      const auto expected = ref.levels(side);
      EXPECT_EQ(b.size(side), expected.size());
      EXPECT_EQ(book_levels(b, side), expected);
      levels_compared += expected.size();
    }
    // Deep levels really exist beyond the top 10 the line shows.
    EXPECT_GT(b.size(Side::bid) + b.size(Side::ask), 20u);
  }
  EXPECT_EQ(levels_compared, 2632u);
}

}  // namespace
}  // namespace wsbook
