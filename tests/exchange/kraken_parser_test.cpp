// The Kraken v2 parser in scenarios: instrument precisions learned, a snapshot
// and updates whose checksums verify, notices, and malformed frames refused.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "book/crc32.h"
#include "exchange/kraken/kraken_checksum.h"
#include "exchange/kraken/kraken_parser.h"

namespace wsbook::kraken {
namespace {

// Applies what the parser gives as the feed does: snapshot clears, truncate, checksum.
struct Harness {
  Parser parser;
  ParsedFrame frame;
  std::map<std::string, std::unique_ptr<OrderBook>, std::less<>> books;
  std::size_t depth = 10, verified = 0, mismatched = 0;

  // The frame is kept: the parser's views may point into it, until the next one.
  std::string_view feed(std::string_view text) {
    text_.assign(text);
    const std::string_view err = parser.parse(text_, frame);
    if (!err.empty()) return err;
    for (const BookMessage& msg : frame.books) {
      auto& book = books[std::string(msg.symbol)];
      if (!book) book = std::make_unique<OrderBook>();
      if (msg.snapshot) book->clear();
      for (std::size_t i = msg.first_change; i < msg.end_change; ++i) book->apply(frame.changes[i]);
      book->truncate(depth);
      ++(msg.checksum && parser.checksum(msg.symbol, *book) == *msg.checksum ? verified : mismatched);
    }
    return {};
  }
  const OrderBook& book(std::string_view symbol) const { return *books.find(symbol)->second; }

 private:
  std::string text_;
};

constexpr std::string_view kInstrument =
    R"({"channel":"instrument","type":"snapshot","data":{"assets":[{"id":"USD","status":"enabled"}],)"
    R"("pairs":[{"symbol":"MATIC/USD","base":"MATIC","quote":"USD","price_precision":4,"qty_precision":8,)"
    R"("price_increment":0.0001,"status":"online"},{"symbol":"BTC/USD","price_precision":1,"qty_precision":8}]}})";

std::string crc_text(std::string_view text) { return std::to_string(crc32_bytewise(text)); }

// Asks 0.567 x 18097.1547 and 0.5668 x 10; bids 0.5666 x 4831.75496356 and 0.5 x 1.
std::string snapshot_frame() {
  const std::string text = std::string("5668") + "1000000000" + "5670" + "1809715470000" + "5666" +
                           "483175496356" + "5000" + "100000000";
  return R"({"channel":"book","type":"snapshot","data":[{"symbol":"MATIC/USD",)"
         R"("bids":[{"price":0.5666,"qty":4831.75496356},{"price":0.5,"qty":1}],)"
         R"("asks":[{"price":0.567,"qty":18097.1547},{"price":0.5668,"qty":10}],"checksum":)" +
         crc_text(text) + R"(,"timestamp":"2023-10-06T17:35:55.440295Z"}]})";
}

TEST(KrakenParser, InstrumentFrameTeachesPrecisionsAndGivesNoBook) {
  Harness h;
  ASSERT_EQ(h.feed(kInstrument), "");
  EXPECT_TRUE(h.frame.books.empty());
  EXPECT_TRUE(h.frame.notices.empty());
  const Precision* p = h.parser.precision("MATIC/USD");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->price, 4);
  EXPECT_EQ(p->qty, 8);
  EXPECT_EQ(h.parser.precision("BTC/USD")->price, 1);
  EXPECT_EQ(h.parser.precision("ETH/USD"), nullptr);
}

TEST(KrakenParser, SnapshotAtPrecisionThenUpdatesVerify) {
  Harness h;
  ASSERT_EQ(h.feed(kInstrument), "");
  ASSERT_EQ(h.feed(snapshot_frame()), "");
  ASSERT_EQ(h.frame.books.size(), 1u);
  const BookMessage& msg = h.frame.books[0];
  EXPECT_EQ(msg.symbol, "MATIC/USD");
  EXPECT_TRUE(msg.snapshot);
  EXPECT_EQ(msg.end_change - msg.first_change, 4u);
  EXPECT_EQ(msg.exchange_ms, 1696613755440);
  EXPECT_EQ(h.verified, 1u) << checksum_text(h.book("MATIC/USD"), 4, 8);
  // The ask 0.5668 goes, a bid 0.5667 x 2.5 comes.
  const std::string text = std::string("5670") + "1809715470000" + "5667" + "250000000" + "5666" +
                           "483175496356" + "5000" + "100000000";
  const std::string update = R"({"channel":"book","type":"update","data":[{"symbol":"MATIC/USD",)"
                             R"("bids":[{"price":0.5667,"qty":2.5}],"asks":[{"price":0.5668,"qty":0}],)"
                             R"("checksum":)" + crc_text(text) + R"(,"timestamp":"2023-10-06T17:35:56.1Z"}]})";
  ASSERT_EQ(h.feed(update), "");
  EXPECT_FALSE(h.frame.books[0].snapshot);
  EXPECT_EQ(h.frame.books[0].exchange_ms, 1696613756100);
  EXPECT_EQ(h.verified, 2u);
  EXPECT_EQ(h.mismatched, 0u);
}

TEST(KrakenParser, WithoutThePrecisionTheShortWireTextDoesNotVerify) {
  Harness h;
  ASSERT_EQ(h.feed(snapshot_frame()), "");
  EXPECT_EQ(h.mismatched, 1u);
}

TEST(KrakenParser, BookIsCutToTheSubscribedDepth) {
  Harness h;
  h.depth = 1;
  ASSERT_EQ(h.feed(kInstrument), "");
  ASSERT_EQ(h.feed(snapshot_frame()), "");
  EXPECT_EQ(h.book("MATIC/USD").size(Side::bid), 1u);
  EXPECT_EQ(h.book("MATIC/USD").size(Side::ask), 1u);
}

TEST(KrakenParser, SeveralDataElementsAreSeveralMessages) {
  Harness h;
  ASSERT_EQ(h.feed(R"({"channel":"book","type":"update","data":[)"
                   R"({"symbol":"BTC/USD","bids":[{"price":45285.2,"qty":0.001}],"asks":[],"checksum":1},)"
                   R"({"symbol":"ETH/USD","bids":[],"asks":[{"price":3000.5,"qty":2},{"price":3001,"qty":1}],"checksum":4294967295}]})"),
            "");
  ASSERT_EQ(h.frame.books.size(), 2u);
  EXPECT_EQ(h.frame.books[0].symbol, "BTC/USD");
  EXPECT_EQ(h.frame.books[0].first_change, 0u);
  EXPECT_EQ(h.frame.books[0].end_change, 1u);
  EXPECT_EQ(h.frame.books[1].symbol, "ETH/USD");
  EXPECT_EQ(h.frame.books[1].first_change, 1u);
  EXPECT_EQ(h.frame.books[1].end_change, 3u);
  EXPECT_EQ(h.frame.books[1].checksum, 4294967295u);
  EXPECT_FALSE(h.frame.books[1].exchange_ms);
  EXPECT_EQ(h.frame.changes[0].price.text, "45285.2");
  EXPECT_EQ(h.frame.changes[0].side, Side::bid);
  EXPECT_EQ(h.frame.changes[2].side, Side::ask);
}

TEST(KrakenParser, TypeMayFollowData) {
  Harness h;
  ASSERT_EQ(h.feed(R"({"channel":"book","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":0}],"type":"snapshot"})"), "");
  EXPECT_TRUE(h.frame.books.at(0).snapshot);
}

Notice only_notice(Harness& h, std::string_view frame) {
  EXPECT_EQ(h.feed(frame), "") << frame;
  EXPECT_TRUE(h.frame.books.empty());
  EXPECT_EQ(h.frame.notices.size(), 1u) << frame;
  return h.frame.notices.empty() ? Notice{} : h.frame.notices[0];
}

TEST(KrakenParser, HeartbeatPongAndSubscriptionAnswers) {
  Harness h;
  EXPECT_EQ(only_notice(h, R"({"channel":"heartbeat"})").kind, Notice::Kind::heartbeat);
  EXPECT_EQ(only_notice(h, R"({"method":"pong","req_id":7,"time_in":"x","time_out":"y"})").kind, Notice::Kind::pong);
  Notice ok = only_notice(h, R"({"method":"subscribe","result":{"channel":"book","depth":10,"snapshot":true,)"
                             R"("symbol":"BTC/USD","warnings":["depth"]},"success":true,"req_id":2})");
  EXPECT_EQ(ok.kind, Notice::Kind::subscribed);
  EXPECT_EQ(ok.symbol, "BTC/USD");
  Notice no = only_notice(h, R"({"error":"Currency pair not supported XBT/USD","method":"subscribe",)"
                             R"("req_id":2,"success":false,"symbol":"XBT/USD"})");
  EXPECT_EQ(no.kind, Notice::Kind::rejected);
  EXPECT_EQ(no.symbol, "XBT/USD");
  EXPECT_EQ(no.text, "Currency pair not supported XBT/USD");
  Notice whole = only_notice(h, R"({"error":"Already subscribed","method":"subscribe","req_id":1,"success":false})");
  EXPECT_EQ(whole.kind, Notice::Kind::error);
  EXPECT_EQ(whole.symbol, "");
  Notice unsub = only_notice(h, R"({"error":"Subscription Not Found","method":"unsubscribe","success":false,"symbol":"BTC/USD"})");
  EXPECT_EQ(unsub.kind, Notice::Kind::error);
  EXPECT_EQ(only_notice(h, R"({"error":"Malformed request","method":"error","success":false})").kind, Notice::Kind::error);
}

TEST(KrakenParser, OtherChannelsAndAcksAreIgnored) {
  Harness h;
  for (std::string_view frame : {
           R"({"channel":"status","type":"update","data":[{"api_version":"v2","system":"online","version":"2.0.0"}]})",
           R"({"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","price":"weird","qty":null}]})",
           R"({"method":"subscribe","result":{"channel":"instrument","snapshot":true},"success":true,"req_id":1})",
           R"({"method":"unsubscribe","result":{"channel":"book","depth":10,"symbol":"BTC/USD"},"success":true})",
       }) {
    EXPECT_EQ(h.feed(frame), "") << frame;
    EXPECT_TRUE(h.frame.books.empty() && h.frame.notices.empty()) << frame;
  }
}

const std::string kHead = R"({"channel":"book","type":"update","data":[{"symbol":"BTC/USD",)";

std::string book(std::string_view rest) { return kHead + std::string(rest) + "}]}"; }

// Each frame, and the reason it must be refused with.
const std::vector<std::pair<std::string, std::string_view>> kMalformed = {
    {"not json", "not a JSON object"},
    {kHead, "not a JSON object"},
    {"[1,2]", "not a JSON object"},
    {book(R"("bids":[{"price":"0.5","qty":1}])"), "price: number expected, got string"},
    {book(R"("bids":[{"price":0.5,"qty":"1"}])"), "qty: number expected, got string"},
    {book(R"("bids":[{"price":null,"qty":1}])"), "price: number expected, got null"},
    {book(R"("asks":[{"price":1,"qty":true}])"), "qty: number expected, got boolean"},
    {book(R"("bids":[],"checksum":"123")"), "checksum: number expected, got string"},
    {book(R"("checksum":4294967296)"), "checksum: not a 32-bit unsigned integer"},
    {book(R"("checksum":-1)"), "checksum: not a 32-bit unsigned integer"},
    {book(R"("checksum":1.5)"), "checksum: not a 32-bit unsigned integer"},
    {R"({"channel":"book","type":"update","data":{"symbol":"BTC/USD"}})", "data: array expected, got object"},
    {book(R"("bids":{"price":1,"qty":1})"), "bids: array expected, got object"},
    {book(R"("asks":[[1,2]])"), "level: object expected, got array"},
    {book(R"("bids":[{"qty":1}])"), "level without price"},
    {book(R"("bids":[{"price":1}])"), "level without qty"},
    {book(R"("bids":[{"price":-1,"qty":1}])"), "negative number"},
    {book(R"("bids":[{"price":1e5,"qty":1}])"), "not a decimal number"},
    {book(R"("bids":[{"price":123456789012345678901234,"qty":1}])"), "number too large"},
    {book(R"("bids":[{"price":1,"qty":0.1234567890123456789}])"), "too many decimal places"},
    {book(R"("timestamp":"yesterday")"), "timestamp: not an RFC 3339 time"},
    {book(R"("timestamp":17)"), "timestamp: string expected, got number"},
    {R"({"channel":"book","type":"update","data":[{"bids":[]}]})", "book data without symbol"},
    {R"({"channel":"book","type":"update","data":[{"symbol":7}]})", "symbol: string expected, got number"},
    {R"({"channel":"book","type":"delta","data":[]})", "book: type snapshot or update expected"},
    {R"({"channel":"book","type":"update"})", "book without data"},
    {R"({"data":[],"channel":"book","type":"update"})", "data before channel"},
    {R"({"channel":5})", "channel: string expected, got number"},
    {R"({"method":"subscribe","success":"yes"})", "success: boolean expected, got string"},
    {R"({"channel":"instrument","type":"snapshot","data":{"pairs":[{"symbol":"A/B","price_precision":"4"}]}})",
     "price_precision: number expected, got string"},
    {R"({"channel":"instrument","type":"snapshot","data":{"pairs":[{"symbol":"A/B","qty_precision":99}]}})",
     "precision out of range"},
    {R"({"channel":"heartbeat"} {})", "trailing content"},
};

TEST(KrakenParser, MalformedFramesAreRefusedWithAReasonAndTheParserGoesOn) {
  Harness h;
  for (const auto& [frame, reason] : kMalformed) {
    EXPECT_EQ(h.feed(frame), reason) << frame;
    EXPECT_TRUE(h.frame.books.empty() && h.frame.changes.empty() && h.frame.notices.empty()) << frame;
    ASSERT_EQ(h.feed(R"({"channel":"heartbeat"})"), "");
    ASSERT_EQ(h.frame.notices.size(), 1u);
  }
  EXPECT_EQ(h.parser.precision("A/B"), nullptr);  // a refused instrument frame teaches nothing
}

TEST(KrakenParser, ARefusedInstrumentFrameKeepsWhatWasLearned) {
  Harness h;
  ASSERT_EQ(h.feed(kInstrument), "");
  EXPECT_NE(h.feed(R"({"channel":"instrument","type":"update","data":{"pairs":[{"symbol":"MATIC/USD","price_precision":2},7]}})"), "");
  EXPECT_EQ(h.parser.precision("MATIC/USD")->price, 4);
  ASSERT_EQ(h.feed(R"({"channel":"instrument","type":"update","data":{"pairs":[{"symbol":"MATIC/USD","price_precision":5,"qty_precision":2}]}})"), "");
  EXPECT_EQ(h.parser.precision("MATIC/USD")->price, 5);
}

}  // namespace
}  // namespace wsbook::kraken
