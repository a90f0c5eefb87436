// Coinbase Advanced Trade parser: level2 snapshots and updates, heartbeats,
// acks, errors and other channels, each with its place on the connection.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "exchange/coinbase/coinbase_parser.h"

namespace wsbook {
namespace {

/// The documented level2 snapshot, with a second bid.
constexpr std::string_view kSnapshot =
    R"({"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":0,)"
    R"("events":[{"type":"snapshot","product_id":"BTC-USD","updates":[)"
    R"({"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.73","new_quantity":"0.06317902"},)"
    R"({"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.30","new_quantity":"0.02"},)"
    R"({"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"21922.10","new_quantity":"1.50000000"}]}]})";

/// An l2_data frame with `sequence_num` 7 around the given events body.
std::string l2(std::string_view events) {
  return R"({"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:51.000Z","sequence_num":7,"events":[)" +
         std::string(events) + "]}";
}

/// An update event for BTC-USD with the given updates body.
std::string update_event(std::string_view updates) {
  return R"({"type":"update","product_id":"BTC-USD","updates":[)" + std::string(updates) + "]}";
}

/// One update of the given side, price and quantity texts (JSON values, quoted or not).
std::string change(std::string_view side, std::string_view price, std::string_view quantity) {
  return R"({"side":)" + std::string(side) + R"(,"event_time":"2023-02-09T20:32:51.1Z","price_level":)" +
         std::string(price) + R"(,"new_quantity":)" + std::string(quantity) + "}";
}

class CoinbaseParser : public ::testing::Test {
 protected:
  const ParsedFrame& parse_ok(std::string_view frame) {
    const std::string_view err = parser_.parse(frame, out_);
    EXPECT_TRUE(err.empty()) << "reason: " << err << "\nframe: " << frame;
    return out_;
  }
  std::string_view parse_error(std::string_view frame) { return parser_.parse(frame, out_); }

  coinbase::Parser parser_;
  ParsedFrame out_;
};

TEST_F(CoinbaseParser, TheSnapshotIsOneBookMessageWithEveryLevel) {
  const ParsedFrame& f = parse_ok(kSnapshot);
  EXPECT_EQ(f.connection_seq, 0u);
  ASSERT_EQ(f.books.size(), 1u);
  const BookMessage& m = f.books[0];
  EXPECT_EQ(m.symbol, "BTC-USD");
  EXPECT_TRUE(m.snapshot);
  EXPECT_EQ(m.first_change, 0u);
  EXPECT_EQ(m.end_change, 3u);
  EXPECT_FALSE(m.seq || m.prev_seq || m.checksum);
  ASSERT_EQ(f.changes.size(), 3u);
  EXPECT_EQ(f.changes[0].side, Side::bid);
  EXPECT_EQ(f.changes[0].price.text, "21921.73");
  EXPECT_EQ(f.changes[0].amount.text, "0.06317902");
  // The venue's trailing zeros are trimmed from the text and remembered.
  EXPECT_EQ(f.changes[1].price.text, "21921.3");
  EXPECT_EQ(f.changes[1].price.trimmed, 1);
  EXPECT_EQ(f.changes[2].side, Side::ask);
  EXPECT_EQ(f.changes[2].amount.text, "1.5");
  EXPECT_TRUE(f.notices.empty());
}

TEST_F(CoinbaseParser, ExchangeTimeIsTheEnvelopeTimestampToTheMillisecond) {
  // The nanoseconds truncate to the millisecond.
  EXPECT_EQ(parse_ok(kSnapshot).books[0].exchange_ms, 1675974770714);
}

TEST_F(CoinbaseParser, AnUpdateIsADeltaAndOfferIsTheAskSide) {
  const ParsedFrame& f = parse_ok(l2(update_event(change(R"("offer")", R"("21922.10")", R"("0")"))));
  EXPECT_EQ(f.connection_seq, 7u);
  ASSERT_EQ(f.books.size(), 1u);
  EXPECT_FALSE(f.books[0].snapshot);
  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_EQ(f.changes[0].side, Side::ask);
  EXPECT_TRUE(f.changes[0].amount.value.is_zero());
  EXPECT_EQ(f.books[0].exchange_ms, 1675974771000);
}

TEST_F(CoinbaseParser, SeveralEventsInOneFrameAreSeveralMessagesInOrder) {
  const std::string frame = l2(update_event(change(R"("bid")", R"("1.1")", R"("2")") + "," +
                                            change(R"("bid")", R"("1.2")", R"("3")")) +
                               R"(,{"type":"snapshot","product_id":"ETH-USD","updates":[)" +
                               change(R"("offer")", R"("9")", R"("1")") + "]}");
  const ParsedFrame& f = parse_ok(frame);
  ASSERT_EQ(f.books.size(), 2u);
  EXPECT_EQ(f.books[0].symbol, "BTC-USD");
  EXPECT_EQ(f.books[0].first_change, 0u);
  EXPECT_EQ(f.books[0].end_change, 2u);
  EXPECT_EQ(f.books[1].symbol, "ETH-USD");
  EXPECT_TRUE(f.books[1].snapshot);
  EXPECT_EQ(f.books[1].first_change, 2u);
  EXPECT_EQ(f.books[1].end_change, 3u);
  EXPECT_EQ(f.books[0].exchange_ms, f.books[1].exchange_ms);
}

TEST_F(CoinbaseParser, AnEventWithoutUpdatesIsAnEmptyMessage) {
  const ParsedFrame& f = parse_ok(l2(R"({"type":"update","product_id":"BTC-USD","updates":[]})"));
  ASSERT_EQ(f.books.size(), 1u);
  EXPECT_EQ(f.books[0].first_change, f.books[0].end_change);
}

TEST_F(CoinbaseParser, FieldsMayComeInAnyOrder) {
  // The events before the channel: read once the channel is known.
  const ParsedFrame& f = parse_ok(
      R"({"events":[{"updates":[{"new_quantity":"2","price_level":"5.50","side":"offer"}],"product_id":"BTC-USD",)"
      R"("type":"update"}],"sequence_num":3,"timestamp":"2023-02-09T20:32:50Z","channel":"l2_data"})");
  EXPECT_EQ(f.connection_seq, 3u);
  ASSERT_EQ(f.books.size(), 1u);
  EXPECT_EQ(f.books[0].symbol, "BTC-USD");
  EXPECT_FALSE(f.books[0].snapshot);
  EXPECT_EQ(f.books[0].exchange_ms, 1675974770000);
  ASSERT_EQ(f.changes.size(), 1u);
  EXPECT_EQ(f.changes[0].side, Side::ask);
  EXPECT_EQ(f.changes[0].price.text, "5.5");
}

TEST_F(CoinbaseParser, HeartbeatsAreNoticesWithTheirSequence) {
  const ParsedFrame& f = parse_ok(
      R"({"channel":"heartbeats","client_id":"","timestamp":"2023-06-23T20:31:26.122969572Z","sequence_num":12,)"
      R"("events":[{"current_time":"2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105",)"
      R"("heartbeat_counter":"3049"}]})");
  EXPECT_EQ(f.connection_seq, 12u);
  EXPECT_TRUE(f.books.empty());
  ASSERT_EQ(f.notices.size(), 1u);
  EXPECT_EQ(f.notices[0].kind, Notice::Kind::heartbeat);
  EXPECT_EQ(f.notices[0].symbol, "");
}

TEST_F(CoinbaseParser, TheSubscriptionsAckConfirmsEachLevel2Product) {
  const ParsedFrame& f = parse_ok(
      R"({"channel":"subscriptions","client_id":"","timestamp":"2023-02-09T20:32:49.5Z","sequence_num":1,)"
      R"("events":[{"subscriptions":{"level2":["BTC-USD","ETH-USD"],"heartbeats":["heartbeats"]}}]})");
  EXPECT_EQ(f.connection_seq, 1u);
  ASSERT_EQ(f.notices.size(), 2u);
  EXPECT_EQ(f.notices[0].kind, Notice::Kind::subscribed);
  EXPECT_EQ(f.notices[0].symbol, "BTC-USD");
  EXPECT_EQ(f.notices[1].symbol, "ETH-USD");
  // After an unsubscribe the ack lists fewer products, or none.
  EXPECT_TRUE(parse_ok(R"({"channel":"subscriptions","sequence_num":2,"events":[{"subscriptions":{}}]})")
                  .notices.empty());
}

TEST_F(CoinbaseParser, AnErrorNamingAProductRejectsIt) {
  const ParsedFrame& f =
      parse_ok(R"({"type":"error","message":"Failed to subscribe","reason":"BTC-XYZ is not a valid product"})");
  EXPECT_FALSE(f.connection_seq);
  ASSERT_EQ(f.notices.size(), 1u);
  EXPECT_EQ(f.notices[0].kind, Notice::Kind::rejected);
  EXPECT_EQ(f.notices[0].symbol, "BTC-XYZ");
  EXPECT_EQ(f.notices[0].text, "Failed to subscribe: BTC-XYZ is not a valid product");
}

TEST_F(CoinbaseParser, AnErrorNamingNoProductIsAConnectionError) {
  const ParsedFrame& f = parse_ok(R"({"type":"error","message":"authentication failure"})");
  ASSERT_EQ(f.notices.size(), 1u);
  EXPECT_EQ(f.notices[0].kind, Notice::Kind::error);
  EXPECT_EQ(f.notices[0].symbol, "");
  EXPECT_EQ(f.notices[0].text, "authentication failure");
  // Words with a dash are not products.
  EXPECT_EQ(parse_ok(R"({"type":"error","message":"rate-limit exceeded, Non-USD"})").notices[0].kind,
            Notice::Kind::error);
}

TEST_F(CoinbaseParser, OtherChannelsAreIgnoredButKeepTheirPlaceOnTheConnection) {
  const ParsedFrame& f = parse_ok(
      R"({"channel":"ticker","client_id":"","timestamp":"2023-02-09T20:30:37.167359596Z","sequence_num":9,)"
      R"("events":[{"type":"snapshot","tickers":[{"type":"ticker","product_id":"BTC-USD","price":21932.98}]}]})");
  EXPECT_EQ(f.connection_seq, 9u);
  EXPECT_TRUE(f.books.empty());
  EXPECT_TRUE(f.changes.empty());
  EXPECT_TRUE(f.notices.empty());
  // Whatever shape their events have.
  EXPECT_EQ(parse_ok(R"({"channel":"status","sequence_num":10,"events":{"odd":true}})").connection_seq, 10u);
  EXPECT_EQ(parse_ok(R"({"events":[1,2],"channel":"market_trades","sequence_num":11})").connection_seq, 11u);
}

TEST_F(CoinbaseParser, AFrameOfNoKnownKindIsIgnored) {
  const ParsedFrame& f = parse_ok(R"({"type":"something_new","x":[1,{"y":null}]})");
  EXPECT_FALSE(f.connection_seq);
  EXPECT_TRUE(f.books.empty() && f.notices.empty());
}

TEST_F(CoinbaseParser, TheOutputIsClearedBetweenFrames) {
  parse_ok(kSnapshot);
  const ParsedFrame& f = parse_ok(R"({"channel":"heartbeats","sequence_num":1,"events":[]})");
  EXPECT_TRUE(f.books.empty());
  EXPECT_TRUE(f.changes.empty());
  EXPECT_EQ(f.connection_seq, 1u);
}

}  // namespace
}  // namespace wsbook
