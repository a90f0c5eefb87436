// wsbook_caps SCENARIO: the peak RSS of the process when a hostile or broken
// feed drives one of wsbook's memory caps, for the README. Each scenario runs
// in a process of its own (the peak is the process's), through the feed as the
// crawler drives it:
//   baseline  nothing: the process itself
//   levels    a book at --max-levels (200,000 a side), then one level more: it breaks
//   buffered  Binance updates while the snapshot never comes: the buffer's cap
#include <sys/resource.h>

#include <cstdio>
#include <string>

#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/venue.h"

namespace {

struct NoLink final : wsbook::Link {
  void send(std::string) override {}
  void fetch(wsbook::FetchRequest) override {}  // the snapshot never comes
};

double peak_mib() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

// Gemini v2's l2_updates with trades is a symbol's book: `n` bids and `n` asks (plus `extra` bids).
std::string v2_book(int n, int extra) {
  std::string f = R"({"type":"l2_updates","symbol":"BTCUSD","changes":[)";
  for (int i = 1; i <= n + extra; ++i) f += R"(["buy",")" + std::to_string(i) + R"(.5","1"],)";
  for (int i = 1; i <= n; ++i) f += R"(["sell",")" + std::to_string(1'000'000 + i) + R"(.5","1"],)";
  f.back() = ']';
  return f + R"(,"trades":[]})";  // "trades" marks the snapshot
}

int levels(const wsbook::Log& log) {
  const wsbook::Venue& venue = *wsbook::find_venue("gemini-v2");
  auto feed = wsbook::make_feed(venue, {.symbols = {"BTCUSD"}}, log);
  NoLink link;
  std::string out;
  feed->on_connect(link);
  const auto at_cap = feed->on_frame(v2_book(200'000, 0), 1000, link, out);
  std::printf("at the cap: %s\n", at_cap.message.c_str());
  feed->on_connect(link);
  const auto past = feed->on_frame(v2_book(200'000, 1), 1000, link, out);
  std::printf("past it: %s\n", past.message.c_str());
  return 0;
}

int buffered(const wsbook::Log& log) {
  const wsbook::Venue& venue = *wsbook::find_venue("binance");
  auto feed = wsbook::make_feed(venue, {.symbols = {"BTCUSDT"}}, log);
  NoLink link;
  std::string out, bids;
  for (int i = 0; i < 400; ++i) bids += R"([")" + std::to_string(20000 + i) + R"(.00000000","1.00000000"],)";
  bids.pop_back();
  feed->on_connect(link);
  for (int n = 1; n <= 20'000; ++n) {  // about 11 KiB each: 220 MiB sent, the cap is what stays
    const std::string id = std::to_string(n);
    feed->on_frame(R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":)" + id +
                       R"(,"u":)" + id + R"(,"b":[)" + bids + R"(],"a":[]}})",
                   1000, link, out);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const wsbook::Log log(wsbook::LogLevel::warn);
  const std::string s = argc > 1 ? argv[1] : "";
  int code = 2;
  if (s == "baseline") code = 0;
  else if (s == "levels") code = levels(log);
  else if (s == "buffered") code = buffered(log);
  if (code == 2) {
    std::fprintf(stderr, "usage: wsbook_caps baseline|levels|buffered\n");
    return 2;
  }
  std::printf("%s: peak RSS %.1f MiB\n", s.c_str(), peak_mib());
  return 0;
}
