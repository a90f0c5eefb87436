// Bybit as a venue: its symbols, the exact requests it is sent, its keep-alive,
// and a hand-written stream that, applied as the feed applies it, builds the
// book its generator computed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "book_test_util.h"
#include "exchange/venues.h"
#include "feed/integrity.h"
#include "test_data.h"

namespace wsbook {
namespace {

using ::testing::ElementsAre;

TEST(BybitVenue, IsTheSpotStreamChainedBySymbol) {
  const Venue& v = bybit_venue();
  EXPECT_EQ(v.name(), "bybit");
  EXPECT_EQ(v.default_url(), "wss://stream.bybit.com/v5/public/spot");
  EXPECT_EQ(v.integrity(), IntegrityKind::symbol_chain);
  EXPECT_EQ(v.symbols_per_connection(), 100u);
  EXPECT_EQ(v.kept_depth(50), 0u);
  EXPECT_EQ(v.keep_alive().frame, R"({"op":"ping"})");
  EXPECT_EQ(v.keep_alive().interval, std::chrono::seconds(20));
}

TEST(BybitVenue, SymbolsAreLettersAndDigitsWithoutSeparator) {
  const Venue& v = bybit_venue();
  for (std::string_view good : {"BTCUSDT", "1000PEPEUSDT", "btcusdt", "ETHBTC"}) {
    EXPECT_EQ(v.check_symbol(good), "") << good;
  }
  for (std::string_view bad : {"", "BTC-USDT", "BTC/USDT", "BTC_USDT", "BTC USDT", "BTC\"USDT"}) {
    EXPECT_EQ(v.check_symbol(bad), "expected a symbol like BTCUSDT: letters and digits, no separator") << bad;
  }
  EXPECT_EQ(v.wire_symbol("btcUsdt"), "BTCUSDT");
  EXPECT_EQ(v.wire_symbol("1000PEPEUSDT"), "1000PEPEUSDT");
}

TEST(BybitVenue, DepthPicksTheSmallestTopicThatHoldsIt) {
  const Venue& v = bybit_venue();
  const auto topic_of = [&](std::size_t depth) { return v.subscribe({"BTCUSDT"}, depth).at(0); };
  const auto frame = [](std::string_view depth) {
    return R"({"req_id":"1","op":"subscribe","args":["orderbook.)" + std::string(depth) + R"(.BTCUSDT"]})";
  };
  EXPECT_EQ(topic_of(1), frame("1"));
  EXPECT_EQ(topic_of(2), frame("50"));
  EXPECT_EQ(topic_of(10), frame("50"));
  EXPECT_EQ(topic_of(50), frame("50"));
  EXPECT_EQ(topic_of(51), frame("200"));
  EXPECT_EQ(topic_of(200), frame("200"));
  EXPECT_EQ(topic_of(201), frame("1000"));
  EXPECT_EQ(topic_of(1000), frame("1000"));
  EXPECT_EQ(topic_of(5000), frame("1000"));
}

TEST(BybitVenue, SubscribeSendsTenArgsPerRequest) {
  std::vector<std::string> symbols;
  for (int i = 0; i < 23; ++i) symbols.push_back("S" + std::to_string(i) + "USDT");
  const std::vector<std::string> frames = bybit_venue().subscribe(symbols, 10);
  ASSERT_EQ(frames.size(), 3u);
  std::string first = R"({"req_id":"1","op":"subscribe","args":[)";
  for (int i = 0; i < 10; ++i) first += (i ? ",\"orderbook.50.S" : "\"orderbook.50.S") + std::to_string(i) + "USDT\"";
  EXPECT_EQ(frames[0], first + "]}");
  EXPECT_EQ(frames[2], R"({"req_id":"3","op":"subscribe","args":["orderbook.50.S20USDT","orderbook.50.S21USDT",)"
                       R"("orderbook.50.S22USDT"]})");
  for (const std::string& f : frames) EXPECT_TRUE(nlohmann::json::accept(f)) << f;
  EXPECT_EQ(nlohmann::json::parse(frames[1])["args"].size(), 10u);
  EXPECT_TRUE(bybit_venue().subscribe({}, 10).empty());
}

TEST(BybitVenue, UnsubscribeNamesTheTopicsSubscribeDid) {
  const Venue& v = bybit_venue();
  EXPECT_THAT(v.unsubscribe({"BTCUSDT", "ETHUSDT"}, 200),
              ElementsAre(R"({"req_id":"1","op":"unsubscribe","args":["orderbook.200.BTCUSDT",)"
                          R"("orderbook.200.ETHUSDT"]})"));
  const auto sub = nlohmann::json::parse(v.subscribe({"BTCUSDT"}, 7).at(0));
  const auto unsub = nlohmann::json::parse(v.unsubscribe({"BTCUSDT"}, 7).at(0));
  EXPECT_EQ(sub["args"], unsub["args"]);
  EXPECT_EQ(v.unsubscribe(std::vector<std::string>(11, "X"), 1).size(), 2u);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// The generator's levels as "[p,a]" with the canonical texts the book keeps.
std::vector<std::string> expected_side(const nlohmann::json& levels) {
  std::vector<std::string> out;
  for (const auto& l : levels) {
    const std::string price = l[0].get<std::string>(), amount = l[1].get<std::string>();
    DecimalText p, a;
    EXPECT_EQ(parse_decimal(price, p), "");
    EXPECT_EQ(parse_decimal(amount, a), "");
    out.push_back("[" + std::string(p.text) + "," + std::string(a.text) + "]");
  }
  return out;
}

TEST(BybitStream, ASnapshotAndFiftyDeltasBuildTheGeneratorsBook) {
  const std::vector<std::string> frames = lines_of(testing::read_data_file("bybit_stream.txt"));
  const auto expected = nlohmann::json::parse(testing::read_data_file("bybit_stream_expected.json"));
  auto parser = bybit_venue().make_parser();
  auto rule = make_integrity_rule(bybit_venue().integrity());
  OrderBook book;
  ChainState chain;
  ParsedFrame out;
  std::size_t snapshots = 0, deltas = 0, others = 0;
  for (const std::string& frame : frames) {
    ASSERT_EQ(parser->parse(frame, out), "") << frame;
    if (out.books.empty()) ++others;
    for (const BookMessage& m : out.books) {
      ASSERT_EQ(m.symbol, "BTCUSDT");
      ASSERT_TRUE(rule->check_message(m, chain).ok()) << frame;
      if (m.snapshot) book.clear();
      for (std::size_t i = m.first_change; i < m.end_change; ++i) book.apply(out.changes[i]);
      chain.last_seq = m.seq;
      ++(m.snapshot ? snapshots : deltas);
      ASSERT_FALSE(book.crossed()) << frame;
    }
  }
  EXPECT_EQ(snapshots, 1u);
  EXPECT_EQ(deltas, 50u);
  EXPECT_EQ(others, 2u);  // a trade and a pong
  EXPECT_EQ(chain.last_seq, expected["u"].get<std::int64_t>());
  EXPECT_EQ(testing::top(book, Side::bid, 1000), expected_side(expected["b"]));
  EXPECT_EQ(testing::top(book, Side::ask, 1000), expected_side(expected["a"]));
  EXPECT_GT(book.absent_deletes(), 0u);  // the stream deletes levels the book never had
}

TEST(BybitStream, ALostDeltaBreaksTheChain) {
  const std::vector<std::string> frames = lines_of(testing::read_data_file("bybit_stream.txt"));
  auto parser = bybit_venue().make_parser();
  auto rule = make_integrity_rule(bybit_venue().integrity());
  ChainState chain;
  ParsedFrame out;
  ASSERT_EQ(parser->parse(frames[0], out), "");
  chain.last_seq = out.books.at(0).seq;
  ASSERT_EQ(parser->parse(frames[2], out), "");  // frames[1] lost
  const Verdict v = rule->check_message(out.books.at(0), chain);
  EXPECT_EQ(v.kind, Verdict::Kind::resync_symbol);
  EXPECT_EQ(v.reason, "sequence gap: expected previous id 18521288, got 18521289");
}

}  // namespace
}  // namespace wsbook
