// Binance spot and USD-M futures as venues: names, endpoints, symbols, the
// exact subscribe requests and their split, and what a REST snapshot costs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "exchange/venues.h"

namespace wsbook {
namespace {

using ::testing::ElementsAre;

TEST(BinanceVenue, SpotIsTheCombinedStreamBridgedByUpdateRanges) {
  const Venue& v = binance_venue();
  EXPECT_EQ(v.name(), "binance");
  EXPECT_EQ(v.default_url(), "wss://stream.binance.com:9443/stream");
  EXPECT_EQ(v.integrity(), IntegrityKind::update_range);
  EXPECT_EQ(v.symbols_per_connection(), 200u);
  EXPECT_EQ(v.send_spacing(), std::chrono::milliseconds(250));
  EXPECT_EQ(v.kept_depth(10), 0u);
  EXPECT_EQ(v.keep_alive().frame, "");  // the venue pings; Beast answers
  EXPECT_EQ(v.keep_alive().interval, std::chrono::milliseconds(0));
  EXPECT_TRUE(v.unsubscribe({"BTCUSDT"}, 10).empty());  // a broken book is fetched again instead
}

TEST(BinanceVenue, FuturesIsTheFuturesStreamLinkedByPu) {
  const Venue& v = binance_futures_venue();
  EXPECT_EQ(v.name(), "binance-futures");
  EXPECT_EQ(v.default_url(), "wss://fstream.binance.com/stream");
  EXPECT_EQ(v.integrity(), IntegrityKind::update_range_linked);
  EXPECT_EQ(v.symbols_per_connection(), 200u);
  EXPECT_EQ(v.send_spacing(), std::chrono::milliseconds(125));
  EXPECT_EQ(v.keep_alive().frame, "");
  EXPECT_TRUE(v.unsubscribe({"BTCUSDT"}, 10).empty());
}

TEST(BinanceVenue, SymbolsAreLettersAndDigitsInAnyCaseSentUpperCase) {
  for (const Venue* v : {&binance_venue(), &binance_futures_venue()}) {
    for (std::string_view good : {"BTCUSDT", "btcusdt", "1000PEPEUSDT", "BnbBtc"}) {
      EXPECT_EQ(v->check_symbol(good), "") << good;
    }
    for (std::string_view bad : {"", "BTC-USDT", "BTC/USDT", "BTC_USDT", "BTC USDT", "BTC\"USDT", "btcusdt@depth"}) {
      EXPECT_EQ(v->check_symbol(bad), "expected a symbol like BTCUSDT: letters and digits, no separator") << bad;
    }
    EXPECT_EQ(v->wire_symbol("btcUsdt"), "BTCUSDT");
    EXPECT_EQ(v->wire_symbol("1000pepeusdt"), "1000PEPEUSDT");
  }
}

TEST(BinanceVenue, SubscribeNamesEachSymbolsDiffStreamInLowerCase) {
  EXPECT_THAT(binance_venue().subscribe({"BTCUSDT", "NKNUSDT"}, 10),
              ElementsAre(R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","nknusdt@depth@100ms"],"id":1})"));
  EXPECT_THAT(binance_futures_venue().subscribe({"BTCUSDT"}, 5000),
              ElementsAre(R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms"],"id":1})"));
  EXPECT_TRUE(binance_venue().subscribe({}, 10).empty());
}

TEST(BinanceVenue, SubscribeSendsFiftyParamsPerRequest) {
  std::vector<std::string> symbols;
  for (int i = 0; i < 123; ++i) symbols.push_back(std::string("S").append(std::to_string(i)).append("USDT"));
  const std::vector<std::string> frames = binance_venue().subscribe(symbols, 10);
  ASSERT_EQ(frames.size(), 3u);
  std::size_t n = 0;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    const auto j = nlohmann::json::parse(frames[f]);
    EXPECT_EQ(j["method"], "SUBSCRIBE");
    EXPECT_EQ(j["id"], f + 1);
    EXPECT_EQ(j["params"].size(), f < 2 ? 50u : 23u);
    for (const auto& p : j["params"]) EXPECT_EQ(p, std::string("s").append(std::to_string(n++)).append("usdt@depth@100ms"));
  }
  EXPECT_EQ(n, symbols.size());
  // A full connection's symbols take a few requests, a second's worth at the spacing.
  EXPECT_EQ(binance_venue().subscribe(std::vector<std::string>(200, "X"), 10).size(), 4u);
}

TEST(BinanceVenue, SpotSnapshotsAreAThousandLevelsUnlessTheLineWantsHalfOfThem) {
  const Venue& v = binance_venue();
  for (std::size_t depth : {1u, 10u, 500u}) {
    const auto r = v.rest_snapshots(depth);
    ASSERT_TRUE(r) << depth;
    EXPECT_EQ(r->base_url, "https://api.binance.com");
    EXPECT_EQ(r->levels, 1000u);
    EXPECT_EQ(r->weight, 50u);
    EXPECT_EQ(r->weight_per_minute, 6000u);
  }
  for (std::size_t depth : {501u, 1000u, 5000u, 20000u}) {
    const auto r = v.rest_snapshots(depth);
    ASSERT_TRUE(r) << depth;
    EXPECT_EQ(r->levels, 5000u);
    EXPECT_EQ(r->weight, 250u);
    EXPECT_EQ(r->weight_per_minute, 6000u);
  }
}

TEST(BinanceVenue, FuturesSnapshotsAreAlwaysAThousandLevels) {
  for (std::size_t depth : {1u, 10u, 1000u, 5000u}) {
    const auto r = binance_futures_venue().rest_snapshots(depth);
    ASSERT_TRUE(r) << depth;
    EXPECT_EQ(r->base_url, "https://fapi.binance.com");
    EXPECT_EQ(r->levels, 1000u);
    EXPECT_EQ(r->weight, 20u);
    EXPECT_EQ(r->weight_per_minute, 2400u);
  }
}

TEST(BinanceVenue, SnapshotUrlsAreTheCapturesAndTheFuturesEndpoint) {
  const Venue& spot = binance_venue();
  EXPECT_EQ(spot.snapshot_url("https://api.binance.com", "NKNUSDT", 1000),
            "https://api.binance.com/api/v3/depth?symbol=NKNUSDT&limit=1000");
  EXPECT_EQ(spot.snapshot_url("https://127.0.0.1:8443/", "BTCUSDT", 5000),
            "https://127.0.0.1:8443/api/v3/depth?symbol=BTCUSDT&limit=5000");
  EXPECT_EQ(binance_futures_venue().snapshot_url("https://fapi.binance.com", "BTCUSDT", 1000),
            "https://fapi.binance.com/fapi/v1/depth?symbol=BTCUSDT&limit=1000");
}

}  // namespace
}  // namespace wsbook
