// Kraken v2 as a venue: what it is sent, which symbols it takes, how deep its
// books are kept, and the RFC 3339 times of its messages.
#include <gtest/gtest.h>

#include "exchange/kraken/kraken_parser.h"
#include "exchange/kraken/kraken_venue.h"
#include "exchange/venues.h"

namespace wsbook::kraken {
namespace {

TEST(KrakenVenue, Basics) {
  const wsbook::Venue& v = kraken_venue();
  EXPECT_EQ(v.name(), "kraken");
  EXPECT_EQ(v.default_url(), "wss://ws.kraken.com/v2");
  EXPECT_EQ(v.integrity(), IntegrityKind::checksum);
  EXPECT_EQ(v.symbols_per_connection(), 100u);
  EXPECT_EQ(v.keep_alive().frame, R"({"method":"ping"})");
  EXPECT_EQ(v.keep_alive().interval, std::chrono::seconds(30));
  EXPECT_NE(v.make_parser(), nullptr);
}

TEST(KrakenVenue, SubscribesInstrumentThenBookAtTheCoveringDepth) {
  const auto frames = kraken_venue().subscribe({"BTC/USD", "MATIC/GBP"}, 20);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], R"({"method":"subscribe","params":{"channel":"instrument","snapshot":true},"req_id":1})");
  EXPECT_EQ(frames[1], R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD","MATIC/GBP"],)"
                       R"("depth":25,"snapshot":true},"req_id":2})");
}

TEST(KrakenVenue, UnsubscribesTheBookAtTheSameDepth) {
  const auto frames = kraken_venue().unsubscribe({"BTC/USD"}, 1000);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], R"({"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":1000}})");
}

TEST(KrakenVenue, DepthIsTheSmallestKrakenDepthThatCoversIt) {
  const std::vector<std::pair<std::size_t, std::size_t>> cases = {
      {1, 10}, {10, 10}, {11, 25}, {25, 25}, {26, 100}, {100, 100}, {101, 500}, {500, 500}, {501, 1000},
      {1000, 1000}, {5000, 1000}};
  for (const auto& [asked, kept] : cases) {
    EXPECT_EQ(kraken_venue().kept_depth(asked), kept) << asked;
    EXPECT_EQ(book_depth(asked), kept) << asked;
  }
}

TEST(KrakenVenue, SymbolsArePairs) {
  const wsbook::Venue& v = kraken_venue();
  for (std::string_view good : {"BTC/USD", "MATIC/GBP", "1INCH/EUR", "btc/usd", "ETH2.S/ETH", "AAPLx/USD"}) {
    EXPECT_EQ(v.check_symbol(good), "") << good;
  }
  for (std::string_view bad : {"BTCUSD", "BTC-USD", "/USD", "BTC/", "BTC/USD/EUR", "", "BTC /USD", "BTC/\"X",
                               ".X/USD"}) {
    EXPECT_EQ(v.check_symbol(bad), "expected a pair like BTC/USD") << bad;
  }
  EXPECT_EQ(v.wire_symbol("btc/usd"), "BTC/USD");
  EXPECT_EQ(v.wire_symbol("BTC/USD"), "BTC/USD");
  EXPECT_EQ(v.wire_symbol("AAPLx/USD"), "AAPLx/USD");
}


}  // namespace
}  // namespace wsbook::kraken
