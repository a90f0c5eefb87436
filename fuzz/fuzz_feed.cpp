// libFuzzer: frames -> venue parser -> integrity rule -> book -> snapshot
// lines, for every venue. The first byte picks the venue, --on-change and the
// depth; the rest is split into frames at '\n'. Every line written must be
// whole, valid JSON, sorted and uncrossed.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "line_check.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/venue.h"

namespace {

struct NoLink final : wsbook::Link {
  void send(std::string) override {}
  void fetch(wsbook::FetchRequest) override {}
};

struct Pick {
  const char* exchange;
  const char* symbol;
};
constexpr std::array<Pick, 8> kVenues = {{{"gemini", "BTCUSD"},
                                          {"gemini-v2", "BTCUSD"},
                                          {"coinbase", "BTC-USD"},
                                          {"kraken", "BTC/USD"},
                                          {"okx", "BTC-USDT"},
                                          {"bybit", "BTCUSDT"},
                                          {"binance", "BTCUSDT"},
                                          {"binance-futures", "BTCUSDT"}}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first two venues keep their old bits (0x28 is v1, 0x29 v2) so the seed corpus stays meaningful.
  const Pick pick = kVenues[(data[0] & 1) + 2 * (data[0] >> 6)];
  const bool on_change = data[0] & 2;
  const std::size_t depth = 1 + (data[0] >> 2) % 12;
  static const wsbook::Log quiet(wsbook::LogLevel::error, stderr);
  NoLink link;
  auto feed = wsbook::make_feed(*wsbook::find_venue(pick.exchange), {.symbols = {pick.symbol}, .depth = depth, .on_change = on_change}, quiet);
  feed->on_connect(link);
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string out;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    const std::string_view frame = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    const auto kind = feed->on_frame(frame, 1700000000000, link, out).kind;
    if (kind == wsbook::FrameResult::Kind::resync) feed->on_connect(link);
    if (kind == wsbook::FrameResult::Kind::fatal) break;
  }
  wsbook::fuzz::check_lines(out);
  return 0;
}
