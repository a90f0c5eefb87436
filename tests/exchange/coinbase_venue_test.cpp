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


TEST(CoinbaseErrorText, FindsWholeProductWords) {
  EXPECT_EQ(coinbase::find_product("BTC-XYZ is not a valid product"), "BTC-XYZ");
  EXPECT_EQ(coinbase::find_product("invalid product_id: 'DOGE-EUR'"), "DOGE-EUR");
  EXPECT_EQ(coinbase::find_product("Failed to subscribe"), "");
  EXPECT_EQ(coinbase::find_product("rate-limit xBTC-USD BTC-USD-X"), "");
}

}  // namespace
}  // namespace wsbook
