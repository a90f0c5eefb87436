// OKX as a venue: its name and URL, the instruments it takes, what it sends to
// subscribe, unsubscribe and keep the connection alive.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "exchange/venues.h"

namespace wsbook {
namespace {

const Venue& okx() { return okx_venue(); }

TEST(OkxVenue, NameUrlAndRule) {
  EXPECT_EQ(okx().name(), "okx");
  EXPECT_EQ(okx().default_url(), "wss://ws.okx.com:8443/ws/v5/public");
  EXPECT_EQ(okx().integrity(), IntegrityKind::symbol_chain);
  EXPECT_EQ(okx().kept_depth(400), 0U) << "OKX sends the deletes of levels that leave its window";
  EXPECT_NE(okx().make_parser(), nullptr);
}

TEST(OkxVenue, InstrumentsHaveOkxsForm) {
  for (const char* good :
       {"BTC-USDT", "BTC-USD-SWAP", "BTC-USD-220527", "ETH-USD-220527-2000-C", "btc-usdt", "1INCH-USDT"}) {
    EXPECT_EQ(okx().check_symbol(good), "") << good;
  }
  for (const char* bad :
       {"", "BTCUSDT", "BTC-", "-USDT", "BTC--USDT", "BTC/USDT", "BTC_USDT", "BTC USDT", "BTC-USDT\"", "BTC-USDT\\"}) {
    EXPECT_EQ(okx().check_symbol(bad), "expected an instrument like BTC-USDT") << bad;
  }
  EXPECT_EQ(okx().wire_symbol("btc-usd-swap"), "BTC-USD-SWAP");
  EXPECT_EQ(okx().wire_symbol("BTC-USDT"), "BTC-USDT");
}

TEST(OkxVenue, SubscribesToBooksOfEveryInstrumentInOneFrame) {
  const auto frames = okx().subscribe({"BTC-USDT", "UNI-USD-SWAP"}, 10);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0], R"({"op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},)"
                       R"({"channel":"books","instId":"UNI-USD-SWAP"}]})");
  EXPECT_EQ(okx().subscribe({"BTC-USDT"}, 400), okx().subscribe({"BTC-USDT"}, 5)) << "books has one depth";
  EXPECT_TRUE(okx().subscribe({}, 10).empty());
}

TEST(OkxVenue, UnsubscribesOneInstrument) {
  const auto frames = okx().unsubscribe({"BTC-USDT"}, 10);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_EQ(frames[0], R"({"op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})");
}

TEST(OkxVenue, AFullConnectionsSubscribeStaysUnderTheArgsLimit) {
  const std::size_t n = okx().symbols_per_connection();
  EXPECT_GT(n, 1U);
  const std::vector<std::string> symbols(n, "BTC-USD-220527-100000-C-LONGER-NAME");
  const auto frames = okx().subscribe(symbols, 10);
  ASSERT_EQ(frames.size(), 1U);
  EXPECT_LT(frames[0].size(), 64U * 1024U);
  EXPECT_EQ(nlohmann::json::parse(frames[0])["args"].size(), n);
}

TEST(OkxVenue, PingsWithTheTextPing) {
  const KeepAlive k = okx().keep_alive();
  EXPECT_EQ(k.frame, "ping");
  EXPECT_EQ(k.interval, std::chrono::seconds(20));
}

}  // namespace
}  // namespace wsbook
