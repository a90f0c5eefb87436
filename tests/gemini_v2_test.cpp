// GeminiV2Parser: message kinds, malformed input, and a replay of the real
// 10-symbol v2 capture checked against an independent reference book.

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

constexpr std::string_view kHeartbeat = R"({"type":"heartbeat","timestamp":1624493666869})";

/// A real trade message of the capture.
constexpr std::string_view kTrade =
    R"({"type":"trade","symbol":"ANKRUSD","event_id":45465818387,"timestamp":1624493670759,)"
    R"("price":"0.07946","quantity":"1020.482111","side":"buy"})";

/// An l2_updates message for BTCUSD with the given changes array body.
std::string l2_with_changes(std::string_view changes) {
  return R"({"type":"l2_updates","symbol":"BTCUSD","changes":[)" + std::string(changes) + "]}";
}

class GeminiV2 : public ::testing::Test {
 protected:
  const V2Message& parse_ok(std::string_view frame) {
    const std::string_view err = parser_.parse(frame, out_);
    EXPECT_TRUE(err.empty()) << "reason: " << err << "\nframe: " << frame;
    return out_;
  }
  std::string_view parse_error(std::string_view frame) { return parser_.parse(frame, out_); }

  GeminiV2Parser parser_;
  V2Message out_;
};

// ---------------------------------------------------------------------------
// Message kinds

TEST_F(GeminiV2, AnL2UpdateWithTradesAndAuctionEventsIsTheSnapshot) {
  const V2Message& m = parse_ok(
      R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","9160.20","0.19"]],)"
      R"("trades":[{"type":"trade","symbol":"BTCUSD","event_id":1,"timestamp":1,"price":"9160.2",)"
      R"("quantity":"1","side":"buy"}],"auction_events":[]})");
  EXPECT_EQ(m.type, V2Message::Type::l2_updates);
  EXPECT_EQ(m.symbol, "BTCUSD");
  EXPECT_TRUE(m.snapshot);
  EXPECT_EQ(m.changes.size(), 1u);
}

TEST_F(GeminiV2, EitherSnapshotKeyAloneMarksTheSnapshot) {
  EXPECT_TRUE(parse_ok(R"({"type":"l2_updates","symbol":"X","changes":[],"trades":[]})").snapshot);
  EXPECT_TRUE(parse_ok(R"({"type":"l2_updates","symbol":"X","changes":[],"auction_events":[]})").snapshot);
  // Keys before "type" and "changes" count too.
  EXPECT_TRUE(parse_ok(R"({"trades":[],"auction_events":[],"symbol":"X","changes":[],"type":"l2_updates"})").snapshot);
}

TEST_F(GeminiV2, APlainL2UpdateIsNotASnapshot) {
  const V2Message& m = parse_ok(l2_with_changes(R"(["sell","9161.00","0.5"])"));
  EXPECT_EQ(m.type, V2Message::Type::l2_updates);
  EXPECT_FALSE(m.snapshot);
}

TEST_F(GeminiV2, BuyIsBidAndSellIsAsk) {
  const V2Message& m = parse_ok(l2_with_changes(R"(["buy","9160.20","0.19"],["sell","9161.00","2.500"])"));
  ASSERT_EQ(m.changes.size(), 2u);
  EXPECT_EQ(m.changes[0].side, Side::bid);
  EXPECT_EQ(m.changes[0].price.text, "9160.2");
  EXPECT_EQ(m.changes[0].amount.text, "0.19");
  EXPECT_EQ(m.changes[1].side, Side::ask);
  EXPECT_EQ(m.changes[1].price.text, "9161");
  EXPECT_EQ(m.changes[1].amount.text, "2.5");
}

TEST_F(GeminiV2, QuantityZeroDeletesTheLevel) {
  OrderBook book;
  for (const auto& c : parse_ok(l2_with_changes(R"(["buy","9160.20","0.19"],["sell","9161","1"])")).changes) {
    book.apply(c);
  }
  ASSERT_EQ(book.size(Side::bid), 1u);

  const V2Message& m = parse_ok(l2_with_changes(R"(["buy","9160.20","0"],["sell","9161.00","0.000"])"));
  ASSERT_EQ(m.changes.size(), 2u);
  EXPECT_TRUE(m.changes[0].amount.value.is_zero());
  EXPECT_TRUE(m.changes[1].amount.value.is_zero());
  for (const auto& c : m.changes) book.apply(c);
  EXPECT_EQ(book.size(Side::bid), 0u);
  EXPECT_EQ(book.size(Side::ask), 0u);
}

TEST_F(GeminiV2, TradeMessageGivesSymbolPriceQuantityTidAndMakerSide) {
  const V2Message& m = parse_ok(kTrade);
  EXPECT_EQ(m.type, V2Message::Type::trade);
  EXPECT_EQ(m.symbol, "ANKRUSD");
  EXPECT_EQ(m.trade.tid, 45465818387u);  // from event_id
  EXPECT_EQ(m.trade.price.text, "0.07946");
  EXPECT_EQ(m.trade.amount.text, "1020.482111");
  EXPECT_EQ(m.trade.maker_side, MakerSide::ask);  // the taker bought from an ask
  EXPECT_EQ(m.timestamp_ms, 1624493670759);
  EXPECT_TRUE(m.changes.empty());
  EXPECT_FALSE(m.snapshot);
}

TEST_F(GeminiV2, ASellingTakerHitABid) {
  const V2Message& m = parse_ok(
      R"({"type":"trade","symbol":"BTCUSD","event_id":3575573053,"timestamp":151231241,)"
      R"("price":"9004.21000000","quantity":"0.09110000","side":"sell"})");
  EXPECT_EQ(m.trade.maker_side, MakerSide::bid);
  EXPECT_EQ(m.trade.price.text, "9004.21");
  EXPECT_EQ(m.trade.amount.text, "0.0911");
}

TEST_F(GeminiV2, HeartbeatGivesItsTimestamp) {
  const V2Message& m = parse_ok(kHeartbeat);
  EXPECT_EQ(m.type, V2Message::Type::heartbeat);
  EXPECT_EQ(m.timestamp_ms, 1624493666869);
  EXPECT_TRUE(m.symbol.empty());
  EXPECT_TRUE(m.changes.empty());
}

TEST_F(GeminiV2, SubscriptionAcknowledgementIsRecognised) {
  EXPECT_EQ(parse_ok(R"({"type":"subscription_ack","subscriptions":[{"name":"l2","symbols":["BTCUSD"]}]})").type,
            V2Message::Type::subscription_ack);
}

TEST_F(GeminiV2, UnknownTypesAreOtherWithoutError) {
  for (const std::string_view frame : {
           R"({"type":"error","reason":"InvalidJson","result":"error"})",
           R"({"type":"something_new"})",
           R"({"type":"something_new","symbol":"BTCUSD","price":"1","detail":{"a":[1,2]}})",
       }) {
    SCOPED_TRACE(frame);
    const V2Message& m = parse_ok(frame);
    EXPECT_EQ(m.type, V2Message::Type::other);
    EXPECT_TRUE(m.changes.empty());
  }
}

// Gemini v2 candle messages (documented; sent to subscribers of "candles_*")
// also use a `changes` key, holding numeric rows. They are not l2 changes.
TEST_F(GeminiV2, UnknownTypeWithNonL2ChangesIsOtherWithoutError) {
  const V2Message& m = parse_ok(
      R"({"type":"candles_15m_updates","symbol":"BTCUSD","changes":[)"
      R"([1561054500000,9350.18,9358.35,9350.18,9355.51,2.07],)"
      R"([1561053600000,9357.33,9357.33,9350.18,9350.18,1.5900161]]})");
  EXPECT_EQ(m.type, V2Message::Type::other);
  EXPECT_TRUE(m.changes.empty());
}

// ---------------------------------------------------------------------------
// Malformed messages: a reason, never a throw or a crash

struct Malformed {
  std::string name;
  std::string frame;
};

std::ostream& operator<<(std::ostream& os, const Malformed& m) { return os << m.name; }

std::string l2_with_price(std::string_view price_json) {
  return l2_with_changes(R"(["buy",)" + std::string(price_json) + R"(,"1"])");
}

std::vector<Malformed> malformed_v2_frames() {
  const std::string digits400(400, '7');
  return {
      {"not_json", "not json"},
      {"empty_frame", ""},
      {"truncated_object", R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","1","1"]])"},
      {"truncated_in_changes", R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","1")"},
      {"truncated_in_string", R"({"type":"l2_updates","symbol":"BTC)"},
      {"array_root", R"([{"type":"heartbeat","timestamp":1}])"},
      {"string_root", R"("heartbeat")"},
      {"trailing_garbage", std::string(kHeartbeat) + " x"},
      {"trailing_object", std::string(kHeartbeat) + R"({"type":"heartbeat"})"},
      {"trailing_brace", std::string(kHeartbeat) + "}"},
      {"missing_type", R"({"symbol":"BTCUSD","changes":[]})"},
      {"type_not_a_string", R"({"type":1,"symbol":"BTCUSD","changes":[]})"},
      {"l2_missing_symbol", R"({"type":"l2_updates","changes":[["buy","1","1"]]})"},
      {"l2_empty_symbol", R"({"type":"l2_updates","symbol":"","changes":[]})"},
      {"l2_symbol_not_a_string", R"({"type":"l2_updates","symbol":7,"changes":[]})"},
      {"l2_missing_changes", R"({"type":"l2_updates","symbol":"BTCUSD"})"},
      {"changes_not_an_array", R"({"type":"l2_updates","symbol":"BTCUSD","changes":{"buy":"1"}})"},
      {"change_not_an_array", l2_with_changes(R"("buy")")},
      {"change_empty", l2_with_changes("[]")},
      {"change_with_2_fields", l2_with_changes(R"(["buy","9160.20"])")},
      {"change_with_4_fields", l2_with_changes(R"(["buy","9160.20","1","extra"])")},
      {"change_with_5_fields", l2_with_changes(R"(["buy","9160.20","1","2","3"])")},
      {"side_bid", l2_with_changes(R"(["bid","9160.20","1"])")},
      {"side_ask", l2_with_changes(R"(["ask","9160.20","1"])")},
      {"side_uppercase", l2_with_changes(R"(["BUY","9160.20","1"])")},
      {"side_not_a_string", l2_with_changes(R"([1,"9160.20","1"])")},
      {"quantity_negative", l2_with_changes(R"(["sell","9160.20","-1"])")},
      {"quantity_as_object", l2_with_changes(R"(["sell","9160.20",{"q":"1"}])")},
      {"price_as_array", l2_with_price(R"(["1"])")},
      {"price_abc", l2_with_price(R"("abc")")},
      {"price_exponent", l2_with_price(R"("1e5")")},
      {"price_nan", l2_with_price(R"("NaN")")},
      {"price_empty", l2_with_price(R"("")")},
      {"price_negative", l2_with_price(R"("-1")")},
      {"price_400_digits", l2_with_price('"' + digits400 + '"')},
      {"price_400_fraction_digits", l2_with_price("\"1." + digits400 + '"')},
      // Gemini sends decimals as strings: any other JSON type is a frame we do not understand.
      {"price_as_number", l2_with_price("9160.2")},
      {"price_as_null", l2_with_price("null")},
      {"price_as_bool", l2_with_price("true")},
      {"quantity_as_number", l2_with_changes(R"(["sell","9160.20",0.5])")},
      {"quantity_as_null", l2_with_changes(R"(["sell","9160.20",null])")},
      {"trade_price_as_number",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"price":9160.2,"quantity":"1","side":"buy"})"},
      {"trade_quantity_as_number",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"price":"1","quantity":1,"side":"buy"})"},
      {"change_after_a_good_one_fails", l2_with_changes(R"(["buy","1","1"],["sell","x","1"])")},
      {"trade_without_price",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"timestamp":1,"quantity":"1","side":"buy"})"},
      {"trade_without_quantity",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"timestamp":1,"price":"1","side":"buy"})"},
      {"trade_without_symbol", R"({"type":"trade","event_id":1,"timestamp":1,"price":"1","quantity":"1","side":"buy"})"},
      {"trade_price_abc",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"price":"abc","quantity":"1","side":"buy"})"},
      {"trade_event_id_negative",
       R"({"type":"trade","symbol":"BTCUSD","event_id":-1,"price":"1","quantity":"1","side":"buy"})"},
      {"trade_event_id_huge",
       R"({"type":"trade","symbol":"BTCUSD","event_id":99999999999999999999999,"price":"1","quantity":"1","side":"buy"})"},
      {"trade_side_not_a_string",
       R"({"type":"trade","symbol":"BTCUSD","event_id":1,"price":"1","quantity":"1","side":0})"},
      {"heartbeat_timestamp_as_string", R"({"type":"heartbeat","timestamp":"1624493666869"})"},
  };
}

class GeminiV2Malformed : public ::testing::TestWithParam<Malformed> {};

TEST_P(GeminiV2Malformed, GivesAReasonWithoutThrowingAndTheParserStaysUsable) {
  GeminiV2Parser parser;
  V2Message out;
  std::string_view err;
  EXPECT_NO_THROW(err = parser.parse(GetParam().frame, out));
  EXPECT_FALSE(err.empty()) << "accepted: " << GetParam().frame;

  std::string_view next_err = "not run";
  EXPECT_NO_THROW(next_err = parser.parse(kTrade, out));
  EXPECT_TRUE(next_err.empty()) << next_err;
  EXPECT_EQ(out.type, V2Message::Type::trade);
  EXPECT_EQ(out.symbol, "ANKRUSD");
}

TEST(GeminiV2WrongType, TheReasonNamesTheFieldAndBothTypes) {
  GeminiV2Parser parser;
  V2Message out;
  EXPECT_EQ(parser.parse(l2_with_price("9160.2"), out), "change price: string expected, got number");
  EXPECT_EQ(parser.parse(l2_with_changes(R"(["sell","9160.20",null])"), out),
            "change quantity: string expected, got null");
}

INSTANTIATE_TEST_SUITE_P(GeminiV2, GeminiV2Malformed, ::testing::ValuesIn(malformed_v2_frames()),
                         [](const ::testing::TestParamInfo<Malformed>& info) { return info.param.name; });

// ---------------------------------------------------------------------------
// One parser, many messages

TEST_F(GeminiV2, AFailedParseIsFollowedByAGoodMessage) {
  EXPECT_NE(parse_error(l2_with_changes(R"(["buy","1","1"],["bid","2","1"])")), "");
  const V2Message& m = parse_ok(l2_with_changes(R"(["sell","3","4"])"));
  ASSERT_EQ(m.changes.size(), 1u);  // nothing left over from the failed message
  EXPECT_EQ(m.changes[0].side, Side::ask);
  EXPECT_EQ(m.changes[0].price.text, "3");
}

TEST_F(GeminiV2, EachMessageStartsFromAnEmptyOutput) {
  parse_ok(R"({"type":"l2_updates","symbol":"BTCUSD","changes":[["buy","1","1"]],"trades":[],"auction_events":[]})");
  ASSERT_TRUE(out_.snapshot);
  const V2Message& plain = parse_ok(R"({"type":"l2_updates","symbol":"ETHUSD","changes":[]})");
  EXPECT_FALSE(plain.snapshot);
  EXPECT_EQ(plain.symbol, "ETHUSD");
  EXPECT_TRUE(plain.changes.empty());

  parse_ok(kTrade);
  ASSERT_TRUE(out_.timestamp_ms.has_value());
  const V2Message& l2 = parse_ok(l2_with_changes(R"(["buy","1","1"])"));
  EXPECT_FALSE(l2.timestamp_ms.has_value());
  EXPECT_EQ(l2.trade.tid, 0u);
  EXPECT_EQ(l2.trade.maker_side, MakerSide::unknown);

  const V2Message& hb = parse_ok(kHeartbeat);
  EXPECT_TRUE(hb.symbol.empty());
  EXPECT_TRUE(hb.changes.empty());
  EXPECT_FALSE(hb.snapshot);
}

// ---------------------------------------------------------------------------
// Replay of the real capture against an independent reference

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
