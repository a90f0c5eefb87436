// The OKX parser: `books` fields to book messages, events to notices, the
// malformed frames it refuses, and the seqId chain as the symbol_chain rule judges it.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exchange/okx/okx.h"
#include "feed/integrity.h"
#include "wsbook/order_book.h"

namespace wsbook {
namespace {

constexpr std::string_view kArg = R"("arg":{"channel":"books","instId":"BTC-USDT"})";

/// A `books` frame: `action` and the body of its one data element.
std::string books(std::string_view action, std::string_view element) {
  return "{" + std::string(kArg) + R"(,"action":")" + std::string(action) + R"(","data":[{)" + std::string(element) +
         "}]}";
}

/// A data element with these fields after one ask and one bid.
std::string element(std::string_view more) {
  return R"("asks":[["30238.8","2","0","1"]],"bids":[["30238.7","0.5","0","3"]],"ts":"1652459225393")" +
         std::string(more);
}

class OkxParser : public ::testing::Test {
 protected:
  // The frame is kept: the parser's views may point into it, until the next one.
  const ParsedFrame& parse_ok(std::string_view frame) {
    frame_.assign(frame);
    const std::string_view err = parser_->parse(frame_, out_);
    EXPECT_EQ(err, "") << frame;
    return out_;
  }
  std::string_view parse_error(std::string_view frame) {
    const std::string_view err = parser_->parse(frame, out_);
    EXPECT_NE(err, "") << frame;
    EXPECT_TRUE(out_.books.empty() && out_.changes.empty() && out_.notices.empty()) << "partial output: " << frame;
    return err;
  }

  std::unique_ptr<VenueParser> parser_ = make_okx_parser();
  std::string frame_;
  ParsedFrame out_;
};

TEST_F(OkxParser, SnapshotMapsEveryField) {
  const auto& f = parse_ok(books("snapshot", element(R"(,"checksum":-914047754,"seqId":123,"prevSeqId":-1)")));
  ASSERT_EQ(f.books.size(), 1U);
  const BookMessage& m = f.books[0];
  EXPECT_EQ(m.symbol, "BTC-USDT");
  EXPECT_TRUE(m.snapshot);
  EXPECT_EQ(m.seq, 123);
  EXPECT_EQ(m.prev_seq, -1);
  EXPECT_EQ(m.checksum, static_cast<std::uint32_t>(-914047754));
  EXPECT_EQ(m.exchange_ms, 1652459225393);
  EXPECT_FALSE(f.connection_seq);
  ASSERT_EQ(m.end_change - m.first_change, 2U);
  EXPECT_EQ(f.changes[0].side, Side::ask);
  EXPECT_EQ(f.changes[0].price.text, "30238.8");
  EXPECT_EQ(f.changes[0].amount.text, "2") << "the size, not the deprecated third field";
  EXPECT_EQ(f.changes[1].side, Side::bid);
  EXPECT_EQ(f.changes[1].amount.text, "0.5") << "not the order count";
}

TEST_F(OkxParser, UpdatesChainBySeqIdAndTheRuleFollows) {
  auto rule = make_integrity_rule(IntegrityKind::symbol_chain);
  ChainState chain;
  const auto judge = [&](const std::string& frame) {
    const BookMessage m = parse_ok(frame).books.at(0);
    const Verdict v = rule->check_message(m, chain);
    if (v.ok() && m.seq) chain.last_seq = m.seq;
    return v.kind;
  };
  EXPECT_EQ(judge(books("snapshot", element(R"(,"checksum":0,"seqId":100,"prevSeqId":-1)"))), Verdict::Kind::apply);
  EXPECT_EQ(judge(books("update", element(R"(,"checksum":0,"seqId":107,"prevSeqId":100)"))), Verdict::Kind::apply);
  // An idle book: OKX sends an empty update whose seqId is its prevSeqId.
  const std::string idle = books("update", R"("asks":[],"bids":[],"ts":"1","checksum":0,"seqId":107,"prevSeqId":107)");
  EXPECT_TRUE(parse_ok(idle).changes.empty());
  EXPECT_FALSE(parse_ok(idle).books.at(0).snapshot);
  EXPECT_EQ(judge(idle), Verdict::Kind::apply);
  EXPECT_EQ(judge(books("update", element(R"(,"checksum":0,"seqId":200,"prevSeqId":150)"))),
            Verdict::Kind::resync_symbol);
}

TEST_F(OkxParser, ChecksumZeroMeansNoneAndIsNotVerified) {
  auto rule = make_integrity_rule(IntegrityKind::symbol_chain);
  const BookMessage zero = parse_ok(books("update", element(R"(,"checksum":0,"seqId":2,"prevSeqId":1)"))).books.at(0);
  EXPECT_EQ(zero.checksum, 0U);
  EXPECT_FALSE(rule->verifies_checksum(zero));
  const BookMessage set = parse_ok(books("update", element(R"(,"checksum":-1,"seqId":2,"prevSeqId":1)"))).books.at(0);
  EXPECT_TRUE(rule->verifies_checksum(set));
}

TEST_F(OkxParser, SignedChecksumsKeepTheirBitPattern) {
  const auto crc = [&](std::string_view value) {
    return parse_ok(books("update", element(R"(,"checksum":)" + std::string(value)))).books.at(0).checksum;
  };
  EXPECT_EQ(crc("-1"), 0xFFFFFFFFU);
  EXPECT_EQ(crc("-2147483648"), 0x80000000U);
  EXPECT_EQ(crc("2147483647"), 0x7FFFFFFFU);
  EXPECT_EQ(crc("1054815633"), 1054815633U);
}

TEST_F(OkxParser, FramesOf2022HaveNoSeqId) {
  const BookMessage m = parse_ok(books("update", element(R"(,"checksum":5)"))).books.at(0);
  EXPECT_FALSE(m.seq);
  EXPECT_FALSE(m.prev_seq);
}

TEST_F(OkxParser, SeveralDataElementsAreSeveralMessages) {
  const std::string frame = "{" + std::string(kArg) + R"(,"action":"update","data":[{)" +
                            element(R"(,"seqId":2,"prevSeqId":1)") + R"(},{"asks":[["1","1","0","1"]],"bids":[],)" +
                            R"("ts":"2","seqId":3,"prevSeqId":2}]})";
  const auto& f = parse_ok(frame);
  ASSERT_EQ(f.books.size(), 2U);
  EXPECT_EQ(f.books[0].first_change, 0U);
  EXPECT_EQ(f.books[0].end_change, 2U);
  EXPECT_EQ(f.books[1].first_change, 2U);
  EXPECT_EQ(f.books[1].end_change, 3U);
  EXPECT_EQ(f.books[1].symbol, "BTC-USDT");
  EXPECT_EQ(f.books[1].seq, 3);
}

TEST_F(OkxParser, DataBeforeArgIsReadOnceTheChannelIsKnown) {
  const std::string data = R"("data":[{)" + element(R"(,"seqId":9,"prevSeqId":8)") + "}]";
  const auto& f = parse_ok("{" + data + R"(,"action":"update",)" + std::string(kArg) + "}");
  ASSERT_EQ(f.books.size(), 1U);
  EXPECT_EQ(f.books[0].symbol, "BTC-USDT");
  EXPECT_EQ(f.books[0].seq, 9);
  EXPECT_EQ(f.changes.size(), 2U);
  EXPECT_TRUE(parse_ok(R"({"data":[{"last":"1"}],"arg":{"channel":"tickers","instId":"BTC-USDT"}})").books.empty());
  parse_error("{" + std::string(R"("data":[{"asks":[[1,"2","0","1"]],"bids":[]}],)") + std::string(kArg) +
              R"(,"action":"update"})");
}

TEST_F(OkxParser, PongIsTheBareText) {
  const auto& f = parse_ok("pong");
  ASSERT_EQ(f.notices.size(), 1U);
  EXPECT_EQ(f.notices[0].kind, Notice::Kind::pong);
  EXPECT_TRUE(f.books.empty());
}

TEST_F(OkxParser, EventsBecomeNotices) {
  auto f = &parse_ok(R"({"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"})");
  ASSERT_EQ(f->notices.size(), 1U);
  EXPECT_EQ(f->notices[0].kind, Notice::Kind::subscribed);
  EXPECT_EQ(f->notices[0].symbol, "BTC-USDT");
  f = &parse_ok(R"({"event":"error","code":"60018","msg":"Wrong URL or channel:books,instId:BTC-USDTT doesn't exist.",)"
                R"("connId":"a4d3ae55"})");
  ASSERT_EQ(f->notices.size(), 1U);
  EXPECT_EQ(f->notices[0].kind, Notice::Kind::rejected);
  EXPECT_EQ(f->notices[0].symbol, "BTC-USDTT");
  EXPECT_EQ(f->notices[0].text, "Wrong URL or channel:books,instId:BTC-USDTT doesn't exist.");
  f = &parse_ok(R"({"event":"error","code":"60012","msg":"Invalid request: {\"op\":\"subscribe\",)"
                R"(\"args\":[{\"channel\":\"books\",\"instId\":\"FOO-BAR\"}]}"})");
  EXPECT_EQ(f->notices.at(0).kind, Notice::Kind::rejected);
  EXPECT_EQ(f->notices.at(0).symbol, "FOO-BAR");
  f = &parse_ok(R"({"event":"error","code":"60009","msg":"Login failed."})");
  EXPECT_EQ(f->notices.at(0).kind, Notice::Kind::error);
  EXPECT_EQ(f->notices.at(0).text, "Login failed.");
  f = &parse_ok(
      R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade."})");
  EXPECT_EQ(f->notices.at(0).kind, Notice::Kind::reconnect);
  for (const char* quiet : {R"({"event":"unsubscribe","arg":{"channel":"books","instId":"BTC-USDT"}})",
                            R"({"event":"login","code":"0","msg":""})",
                            R"({"event":"channel-conn-count","channel":"books","connCount":"2","connId":"a"})"}) {
    EXPECT_TRUE(parse_ok(quiet).notices.empty()) << quiet;
    EXPECT_TRUE(out_.books.empty());
  }
}

TEST_F(OkxParser, OtherChannelsAreIgnored) {
  const auto& f = parse_ok(R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT",)"
                           R"("tradeId":"1","px":"30238.8","sz":"0.1","side":"buy","ts":"1652459225393"}]})");
  EXPECT_TRUE(f.books.empty());
  EXPECT_TRUE(f.notices.empty());
  // books5 pushes have another shape (no action): not this venue's channel.
  EXPECT_TRUE(
      parse_ok(R"({"arg":{"channel":"books5","instId":"BTC-USDT"},"data":[{"asks":[],"bids":[]}]})").books.empty());
}

struct Malformed {
  const char* what;
  std::string frame;
  std::string_view reason;  // "" when any reason will do
};

/// Levels and data elements of the wrong shape or type.
std::vector<Malformed> element_cases() {
  const std::string e = element("");
  return {
      {"price as a number", books("update", R"("asks":[[30238.8,"2","0","1"]],"bids":[])"),
       "level price: string expected, got number"},
      {"size null", books("update", R"("asks":[],"bids":[["1",null,"0","1"]])"),
       "level size: string expected, got null"},
      {"size bool", books("update", R"("asks":[],"bids":[["1",true,"0","1"]])"),
       "level size: string expected, got boolean"},
      {"level with 2 fields", books("update", R"("asks":[["1","2"]],"bids":[])"), "level has fewer than 4 fields"},
      {"level with 5 fields", books("update", R"("asks":[["1","2","0","1","9"]],"bids":[])"),
       "level has more than 4 fields"},
      {"third field a number", books("update", R"("asks":[["1","2",0,"1"]],"bids":[])"),
       "level liquidated orders: string expected, got number"},
      {"count a number", books("update", R"("asks":[["1","2","0",1]],"bids":[])"),
       "level order count: string expected, got number"},
      {"level not an array", books("update", R"("asks":[{"px":"1"}],"bids":[])"), "level: array expected, got object"},
      {"asks not an array", books("update", R"("asks":"1","bids":[])"), "asks: array expected, got string"},
      {"negative price", books("update", R"("asks":[["-1","2","0","1"]],"bids":[])"), ""},
      {"price not a decimal", books("update", R"("asks":[["1e5","2","0","1"]],"bids":[])"), ""},
      {"ts as a number", books("update", R"("asks":[],"bids":[],"ts":1652459225393)"),
       "ts: string expected, got number"},
      {"ts not digits", books("update", R"("asks":[],"bids":[],"ts":"12:00")"), "ts is not unix milliseconds"},
      {"checksum as a string", books("update", e + R"(,"checksum":"-914047754")"),
       "checksum: integer expected, got string"},
      {"checksum a fraction", books("update", e + R"(,"checksum":1.5)"), "checksum: integer expected, got number"},
      {"checksum past int32", books("update", e + R"(,"checksum":2147483648)"),
       "checksum is not a 32-bit signed integer"},
      {"seqId as a string", books("update", e + R"(,"seqId":"123")"), "seqId: integer expected, got string"},
      {"prevSeqId null", books("update", e + R"(,"prevSeqId":null)"), "prevSeqId: integer expected, got null"},
  };
}

/// Envelopes of the wrong shape or type, and frames that are no JSON object.
std::vector<Malformed> envelope_cases() {
  const std::string e = element("");
  return {
      {"no asks", books("update", R"("bids":[],"ts":"1")"), "books data without asks or bids"},
      {"data not an array", "{" + std::string(kArg) + R"(,"action":"update","data":{"asks":[]}})",
       "data: array expected, got object"},
      {"data element not an object", "{" + std::string(kArg) + R"(,"action":"update","data":[[]]})",
       "data element: object expected, got array"},
      {"no data", "{" + std::string(kArg) + R"(,"action":"update"})", "books without data"},
      {"missing arg", R"({"action":"update","data":[{"asks":[],"bids":[]}]})", "missing arg"},
      {"arg not an object", R"({"arg":"books","action":"update","data":[]})", "arg: object expected, got string"},
      {"arg without channel", R"({"arg":{"instId":"BTC-USDT"},"action":"update","data":[]})", "arg without channel"},
      {"no instId", R"({"arg":{"channel":"books"},"action":"update","data":[]})", "books arg without instId"},
      {"instId a number", R"({"arg":{"channel":"books","instId":7},"action":"update","data":[]})",
       "arg instId: string expected, got number"},
      {"unknown action", books("delta", e), "books: unknown action"},
      {"no action", "{" + std::string(kArg) + R"(,"data":[{)" + e + "}]}", "books without action"},
      {"action a number", "{" + std::string(kArg) + R"(,"action":1,"data":[]})", "action: string expected, got number"},
      {"event a number", R"({"event":1})", "event: string expected, got number"},
      {"truncated JSON", books("update", e).substr(0, 60), ""},
      {"trailing content", books("update", e) + "}", ""},
      {"not JSON", "ping", ""},
      {"a pong in JSON clothes", R"("pong")", ""},
      {"empty frame", "", ""},
      {"an array", "[1,2]", ""},
  };
}

TEST_F(OkxParser, MalformedFramesAreRefusedWholeAndTheParserGoesOn) {
  std::vector<Malformed> cases = element_cases();
  for (Malformed& c : envelope_cases()) cases.push_back(std::move(c));
  const std::string good = books("update", element(R"(,"seqId":2,"prevSeqId":1)"));
  for (const Malformed& c : cases) {
    const std::string_view reason = parse_error(c.frame);
    if (!c.reason.empty()) {
      EXPECT_EQ(reason, c.reason) << c.what;
    }
    ASSERT_EQ(parse_ok(good).books.size(), 1U) << "after " << c.what;
    EXPECT_EQ(out_.changes.size(), 2U);
  }
}

TEST_F(OkxParser, ChecksumIsTheBooks) {
  OrderBook book;
  const auto& f = parse_ok(books("snapshot", element("")));
  for (const BookChange& c : f.changes) book.apply(c);
  EXPECT_EQ(parser_->checksum("BTC-USDT", book), okx_book_checksum(book));
  EXPECT_EQ(okx_checksum_text(book), "30238.7:0.5:30238.8:2");
}

}  // namespace
}  // namespace wsbook
