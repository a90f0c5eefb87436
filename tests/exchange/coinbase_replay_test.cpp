// A realistic Coinbase Advanced Trade session (tests/data/coinbase_level2_2products.txt:
// real Coinbase Pro books and changes of 2021 in the Advanced Trade envelope)
// through the parser, the connection_sequence rule and two OrderBooks.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "exchange/coinbase/coinbase_parser.h"
#include "feed/integrity.h"
#include "test_data.h"
#include "wsbook/order_book.h"

namespace wsbook {
namespace {

std::vector<std::string> frames() {
  std::istringstream in(testing::read_data_file("coinbase_level2_2products.txt"));
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

/// The venue's own spelling of a level's text: canonical text and trimmed tail.
std::string venue_text(std::string_view canonical, std::size_t trimmed) {
  std::string s(canonical);
  if (trimmed == 0) return s;
  if (s.find('.') == std::string::npos) return s + "." + std::string(trimmed - 1, '0');
  return s + std::string(trimmed, '0');
}

using Levels = std::vector<std::pair<std::string, std::string>>;

Levels top(const OrderBook& book, Side side) {
  Levels out;
  book.for_each_top(side, 5, [&](Decimal, const Level& l) {
    out.emplace_back(venue_text(l.price_text(), l.price_trimmed), venue_text(l.amount_text(), l.amount_trimmed));
  });
  return out;
}

struct Replay {
  std::map<std::string, std::unique_ptr<OrderBook>, std::less<>> books;
  std::size_t frames = 0, snapshots = 0, updates = 0, changes = 0, heartbeats = 0, subscribed = 0, crossed = 0;
};

void apply(const ParsedFrame& f, Replay& r) {
  for (const BookMessage& m : f.books) {
    auto it = r.books.find(m.symbol);
    if (it == r.books.end()) it = r.books.emplace(std::string(m.symbol), std::make_unique<OrderBook>()).first;
    if (m.snapshot) it->second->clear(), ++r.snapshots;
    else ++r.updates;
    for (std::size_t i = m.first_change; i < m.end_change; ++i) it->second->apply(f.changes[i]);
    r.changes += m.end_change - m.first_change;
    if (it->second->crossed()) ++r.crossed;
    EXPECT_TRUE(m.exchange_ms.has_value());
  }
  for (const Notice& n : f.notices) {
    if (n.kind == Notice::Kind::heartbeat) ++r.heartbeats;
    if (n.kind == Notice::Kind::subscribed) ++r.subscribed;
  }
}

Replay replay() {
  coinbase::Parser parser;
  ParsedFrame f;
  const std::unique_ptr<IntegrityRule> rule = make_integrity_rule(IntegrityKind::connection_sequence);
  Replay r;
  for (const std::string& frame : frames()) {
    const std::string_view err = parser.parse(frame, f);
    EXPECT_TRUE(err.empty()) << err << "\n" << frame.substr(0, 200);
    EXPECT_TRUE(f.connection_seq.has_value());
    const Verdict v = rule->check_frame(f);
    EXPECT_TRUE(v.ok()) << v.reason;
    apply(f, r);
    ++r.frames;
  }
  return r;
}

TEST(CoinbaseReplay, EveryFrameParsesInSequenceAndNoBookEverCrosses) {
  const Replay r = replay();
  EXPECT_EQ(r.frames, 472u);
  EXPECT_EQ(r.snapshots, 2u);
  EXPECT_EQ(r.updates, 450u);
  EXPECT_EQ(r.heartbeats, 16u);
  EXPECT_EQ(r.subscribed, 2u);
  EXPECT_EQ(r.crossed, 0u);
  EXPECT_EQ(r.changes, 152u + 166u + 101u + 175u + 450u);
}

// The expected books were computed from the same content by a separate
// script (Python's decimal module over the Pro capture), not by this code.
TEST(CoinbaseReplay, TheFinalBooksEqualAnIndependentReplay) {
  const Replay r = replay();
  ASSERT_EQ(r.books.size(), 2u);
  const OrderBook& band = *r.books.at("BAND-GBP");
  EXPECT_EQ(band.size(Side::bid), 152u);
  EXPECT_EQ(band.size(Side::ask), 165u);
  EXPECT_EQ(top(band, Side::bid), (Levels{{"14.7661", "12.57"}, {"14.7617", "27.53"}, {"14.7614", "12.58"},
                                          {"14.7574", "12.28"}, {"14.7542", "123.22"}}));
  EXPECT_EQ(top(band, Side::ask), (Levels{{"14.7886", "123.26"}, {"14.7932", "12.17"}, {"14.7990", "12.70"},
                                          {"14.8033", "12.58"}, {"14.9273", "10.20"}}));
  const OrderBook& skl = *r.books.at("SKL-GBP");
  EXPECT_EQ(skl.size(Side::bid), 102u);
  EXPECT_EQ(skl.size(Side::ask), 177u);
  EXPECT_EQ(top(skl, Side::bid), (Levels{{"0.5747", "3556.3"}, {"0.5739", "1268.6"}, {"0.5737", "8969.9"},
                                         {"0.5736", "8976.6"}, {"0.5733", "511.0"}}));
  EXPECT_EQ(top(skl, Side::ask), (Levels{{"0.5770", "1008.2"}, {"0.5771", "285.0"}, {"0.5772", "1008.2"},
                                         {"0.5773", "1735.0"}, {"0.5774", "5788.0"}}));
}

TEST(CoinbaseReplay, ALostFrameIsAGapThatRestartsTheConnection) {
  std::vector<std::string> all = frames();
  all.erase(all.begin() + 100);
  coinbase::Parser parser;
  ParsedFrame f;
  const std::unique_ptr<IntegrityRule> rule = make_integrity_rule(IntegrityKind::connection_sequence);
  std::size_t ok = 0;
  Verdict v;
  for (const std::string& frame : all) {
    ASSERT_TRUE(parser.parse(frame, f).empty());
    v = rule->check_frame(f);
    if (!v.ok()) break;
    ++ok;
  }
  EXPECT_EQ(ok, 100u);
  EXPECT_EQ(v.kind, Verdict::Kind::restart_connection);
  EXPECT_EQ(v.reason, "sequence gap: expected 100, got 101");
}

}  // namespace
}  // namespace wsbook
