// The real Binance capture (4 symbols, 2021-10-12) through the real feed:
// stream frames and the recorded REST replies interleaved by the moments they
// were received, each reply given to the fetch the feed asked for. Every book
// is bridged, none breaks, and its top equals the venue's own bookTicker.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "exchange/binance_capture.h"
#include "exchange/venues.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "fake_link.h"

namespace wsbook {
namespace {

using RecordingLink = wsbook::testing::FakeLink;

// A book's best level on each side, as canonical decimal texts.
struct Top {
  std::string bid, bid_amount, ask, ask_amount;
  friend bool operator==(const Top&, const Top&) = default;
};

std::string canonical(const std::string& text) {
  DecimalText d;
  EXPECT_EQ(parse_decimal(text, d), "") << text;
  return std::string(d.text);
}

// A book after an update: whose, its id (the last u applied), its top.
struct BookState {
  std::string symbol;
  std::int64_t id = 0;
  Top top;
};

// A bookTicker: the top of `symbol`'s book from update id `u` on.
struct Ticker {
  std::string symbol;
  std::int64_t u = 0;
  Top top;
};

// {"exchange":"binance","symbol":"NKNUSDT","bids":[[0.3521,672],...],"asks":[[0.3526,3199],...],"ts":...}
std::pair<std::string, Top> read_line(const std::string& line) {
  static const std::regex form(
      R"re(^\{"exchange":"binance","symbol":"([A-Z]+)","bids":\[\[([0-9.]+),([0-9.]+)\].*"asks":\[\[([0-9.]+),([0-9.]+)\].*\}$)re");
  std::smatch m;
  EXPECT_TRUE(std::regex_match(line, m, form)) << line;
  if (m.empty()) return {};
  return {m[1], {m[2], m[3], m[4], m[5]}};
}

struct Replay {
  std::vector<BookState> states;  // one per line written, in order
  std::vector<Ticker> tickers;
  std::size_t snapshots = 0, late_replies = 0, lrc_straddler_lines = 99;
  std::vector<std::string> fetched_urls, sent;
  FeedStats stats;
  std::string log;
};

class Replayer {
 public:
  Replayer() : feed_(make_feed(binance_venue(), {.symbols = {"NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR"}}, log_)) {}
  ~Replayer() { std::fclose(log_file_); }

  Replay run() {
    feed_->on_connect(link_);
    const auto frames = testing::binance_capture_frames();
    const auto replies = testing::binance_capture_replies();
    std::size_t r = 0;
    for (const testing::CaptureFrame& f : frames) {
      for (; r < replies.size() && replies[r].us <= f.us; ++r) on_reply(replies[r]);
      on_frame(f);
    }
    for (; r < replies.size(); ++r) on_reply(replies[r]);
    for (const FetchRequest& f : link_.fetched) out_.fetched_urls.push_back(f.url);
    out_.sent = link_.sent;
    out_.stats = feed_->stats();
    std::rewind(log_file_);
    for (int c; (c = std::fgetc(log_file_)) != EOF;) out_.log += static_cast<char>(c);
    return out_;
  }

 private:
  void on_frame(const testing::CaptureFrame& f) {
    const auto data = nlohmann::json::parse(f.text)["data"];
    std::string text;
    const FrameResult result = feed_->on_frame(f.text, f.us / 1000, link_, text);
    EXPECT_LT(result.kind, FrameResult::Kind::resync) << result.message;
    if (!data.contains("e")) {  // a bookTicker
      out_.tickers.push_back({data["s"], data["u"],
                              {canonical(data["b"]), canonical(data["B"]), canonical(data["a"]), canonical(data["A"])}});
    }
    if (data.value("e", "") != "depthUpdate") return;
    const std::string symbol = data["s"];
    last_u_[symbol] = data["u"];
    if (symbol == "LRCBTC" && data["U"] == 259345540) out_.lrc_straddler_lines = result.lines;
    add_lines(text, result.lines, data["u"]);
  }

  void on_reply(const testing::CaptureReply& reply) {
    const auto asked = std::find_if(link_.fetched.begin(), link_.fetched.end(),
                                    [&](const FetchRequest& f) { return f.url == reply.url; });
    if (asked == link_.fetched.end()) {
      ++out_.late_replies;  // the feed had not asked for it yet
      return;
    }
    std::string text;
    const FrameResult result = feed_->on_response({asked->id, 200, reply.body, {}, {}}, reply.us / 1000, link_, text);
    EXPECT_EQ(result.kind, FrameResult::Kind::snapshot) << result.message;
    if (result.kind == FrameResult::Kind::snapshot) ++out_.snapshots;
    // The bridged book's id: the snapshot's, or the last buffered update's past it.
    const std::int64_t id = nlohmann::json::parse(reply.body)["lastUpdateId"];
    const std::string symbol = reply.url.substr(reply.url.find("symbol=") + 7, reply.url.find('&') - reply.url.find("symbol=") - 7);
    add_lines(text, result.lines, std::max(id, last_u_[symbol]));
  }

  void add_lines(const std::string& text, std::uint32_t lines, std::int64_t id) {
    EXPECT_LE(lines, 1u);
    if (lines == 0) return;
    auto [symbol, top] = read_line(text.substr(0, text.find('\n')));
    out_.states.push_back({symbol, id, top});
  }

  std::FILE* log_file_ = std::tmpfile();
  Log log_{LogLevel::warn, log_file_};
  std::unique_ptr<Feed> feed_;
  RecordingLink link_;
  std::map<std::string, std::int64_t> last_u_;
  Replay out_;
};

TEST(BinanceReplay, FourBooksAreBridgedAndNoneBreaks) {
  const Replay r = Replayer().run();
  EXPECT_EQ(r.sent, binance_venue().subscribe({"NKNUSDT", "BLZETH", "LRCBTC", "RUNEEUR"}, 10));
  EXPECT_EQ(r.fetched_urls, (std::vector<std::string>{"https://api.binance.com/api/v3/depth?symbol=NKNUSDT&limit=1000",
                                                      "https://api.binance.com/api/v3/depth?symbol=BLZETH&limit=1000",
                                                      "https://api.binance.com/api/v3/depth?symbol=LRCBTC&limit=1000",
                                                      "https://api.binance.com/api/v3/depth?symbol=RUNEEUR&limit=1000"}));
  EXPECT_EQ(r.late_replies, 0u);
  EXPECT_EQ(r.snapshots, 4u);
  EXPECT_EQ(r.stats.fetches, 4u);
  EXPECT_EQ(r.stats.fetch_failures, 0u);
  EXPECT_EQ(r.stats.gaps, 0u);
  EXPECT_EQ(r.stats.crossed, 0u);
  EXPECT_EQ(r.stats.malformed, 0u);
  EXPECT_EQ(r.stats.resubscribes, 0u);
  // A line per bridged book and per update applied after it.
  EXPECT_EQ(r.states.size(), 4u + 172u);
  EXPECT_EQ(r.log, "");
}

// LRCBTC's update [259345540, 259345543] came after the snapshot of id
// 259345543 was in: the snapshot holds it already, so it is dropped.
TEST(BinanceReplay, AnUpdateTheSnapshotHoldsIsDroppedEvenAfterTheReply) {
  const Replay r = Replayer().run();
  EXPECT_EQ(r.lrc_straddler_lines, 0u);
  EXPECT_EQ(r.stats.gaps, 0u);
}

// A bookTicker is pushed whenever the best level of a side changes, with the
// update id u of that change: from its u up to the next bookTicker's u of the
// symbol, the top of the book is that bookTicker's. So each line whose book id
// lies in [u, next u) of two consecutive bookTickers must show the first of
// them: 141 lines. Past a symbol's last bookTicker the capture cannot say
// whether the top changed again before it ended; those lines show it still.
TEST(BinanceReplay, TheTopOfEachBookIsTheBookTickerOfItsId) {
  const Replay r = Replayer().run();
  ASSERT_EQ(r.tickers.size(), 84u);
  std::size_t bounded = 0, bounded_equal = 0, after_last = 0, after_last_equal = 0;
  for (const BookState& s : r.states) {
    const Ticker* last = nullptr;
    bool has_next = false;
    for (const Ticker& t : r.tickers) {
      if (t.symbol != s.symbol) continue;
      if (t.u <= s.id && (last == nullptr || t.u > last->u)) last = &t;
      if (t.u > s.id) has_next = true;
    }
    if (last == nullptr) continue;  // no bookTicker yet of this book
    ++(has_next ? bounded : after_last);
    if (last->top == s.top) ++(has_next ? bounded_equal : after_last_equal);
    EXPECT_EQ(last->top.bid, s.top.bid) << s.symbol << " at " << s.id;
    EXPECT_EQ(last->top.ask_amount, s.top.ask_amount) << s.symbol << " at " << s.id;
  }
  EXPECT_EQ(bounded, 141u);
  EXPECT_EQ(bounded_equal, 141u);
  EXPECT_EQ(after_last, 18u);
  EXPECT_EQ(after_last_equal, 18u);
}

}  // namespace
}  // namespace wsbook
