// The Coinbase Advanced Trade venue: its data, the exact frames it sends, its
// symbols, and the exact RFC 3339 clock behind exchange_ms.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exchange/coinbase/coinbase_parser.h"
#include "exchange/venues.h"

namespace wsbook {
namespace {

const Venue& venue() { return coinbase_venue(); }

TEST(CoinbaseVenue, Data) {
  EXPECT_EQ(venue().name(), "coinbase");
  EXPECT_EQ(venue().default_url(), "wss://advanced-trade-ws.coinbase.com");
  EXPECT_EQ(venue().integrity(), IntegrityKind::connection_sequence);
  EXPECT_EQ(venue().symbols_per_connection(), 10u);
  EXPECT_EQ(venue().kept_depth(50), 0u);
  const KeepAlive k = venue().keep_alive();
  EXPECT_EQ(k.frame, "");
  EXPECT_EQ(k.interval.count(), 0);
  EXPECT_NE(venue().make_parser(), nullptr);
}

TEST(CoinbaseVenue, SubscribeSendsOneChannelPerMessage) {
  const std::vector<std::string> frames = venue().subscribe({"BTC-USD", "ETH-USD"}, 0);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0], R"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"})");
  EXPECT_EQ(frames[1], R"({"type":"subscribe","channel":"heartbeats"})");
  // Depth changes nothing: level2 is always the full book.
  EXPECT_EQ(venue().subscribe({"BTC-USD", "ETH-USD"}, 10), frames);
}

TEST(CoinbaseVenue, UnsubscribeDropsOnlyTheProductsLevel2) {
  const std::vector<std::string> frames = venue().unsubscribe({"BTC-USD"}, 0);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0], R"({"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2"})");
  EXPECT_TRUE(venue().unsubscribe({}, 0).empty());
}

TEST(CoinbaseVenue, SymbolsAreProductsLikeBtcUsd) {
  for (const char* good : {"BTC-USD", "ETH-EUR", "1INCH-USD", "SHIB-USDC", "btc-usd", "00-USD"}) {
    EXPECT_EQ(venue().check_symbol(good), "") << good;
  }
  for (const char* bad : {"", "BTCUSD", "BTC-", "-USD", "BTC--USD", "BTC-USD-SWAP", "BTC/USD", "BTC_USD", "BTC USD",
                          "BTC-US\"D", "BTC-US\\D"}) {
    EXPECT_EQ(venue().check_symbol(bad), "expected a product like BTC-USD") << bad;
  }
  EXPECT_EQ(venue().wire_symbol("btc-usd"), "BTC-USD");
  EXPECT_EQ(venue().wire_symbol("Eth-Eur"), "ETH-EUR");
  EXPECT_EQ(venue().wire_symbol("BTC-USD"), "BTC-USD");
}

TEST(CoinbaseTime, NineFractionDigitsToTheExactMillisecond) {
  EXPECT_EQ(coinbase::parse_utc_ms("2023-02-09T20:32:50.714964855Z"), 1675974770714);
  EXPECT_EQ(coinbase::parse_utc_ms("2023-02-09T20:32:50.999999999Z"), 1675974770999);
  EXPECT_EQ(coinbase::parse_utc_ms("2023-02-09T20:32:50.7Z"), 1675974770700);
  EXPECT_EQ(coinbase::parse_utc_ms("2023-02-09T20:32:50.07Z"), 1675974770070);
  EXPECT_EQ(coinbase::parse_utc_ms("2023-02-09T20:32:50Z"), 1675974770000);
  EXPECT_EQ(coinbase::parse_utc_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(coinbase::parse_utc_ms("2000-02-29T23:59:59.001Z"), 951868799001);
  EXPECT_EQ(coinbase::parse_utc_ms("2021-04-17T16:43:37.077736000Z"), 1618677817077);
  EXPECT_EQ(coinbase::parse_utc_ms("1969-12-31T23:59:59Z"), -1000);
  EXPECT_EQ(coinbase::parse_utc_ms("9999-12-31T23:59:59Z"), 253402300799000);
}

TEST(CoinbaseTime, AnythingElseIsRefused) {
  for (const char* bad : {"", "2023-02-09", "2023-02-09T20:32:50", "2023-02-09T20:32:50.Z", "2023-02-09T20:32:50.1234567890Z",
                          "2023-02-09T20:32:50+00:00", "2023-02-09 20:32:50Z", "2023-13-09T20:32:50Z",
                          "2023-00-09T20:32:50Z", "2023-02-29T20:32:50Z", "1900-02-29T00:00:00Z", "2023-02-09T24:00:00Z",
                          "2023-02-09T20:60:00Z", "2023-02-09T20:32:61Z", "2023-02-09T20:32:5xZ", "+023-02-09T20:32:50Z",
                          "2023-02-09T20:32:50.71a4Z", "2023-02-09T20:32:50ZZ"}) {
    EXPECT_FALSE(coinbase::parse_utc_ms(bad)) << bad;
  }
}

TEST(CoinbaseErrorText, FindsWholeProductWords) {
  EXPECT_EQ(coinbase::find_product("BTC-XYZ is not a valid product"), "BTC-XYZ");
  EXPECT_EQ(coinbase::find_product("invalid product_id: 'DOGE-EUR'"), "DOGE-EUR");
  EXPECT_EQ(coinbase::find_product("Failed to subscribe"), "");
  EXPECT_EQ(coinbase::find_product("rate-limit xBTC-USD BTC-USD-X"), "");
}

}  // namespace
}  // namespace wsbook
