// libFuzzer: frames -> book -> snapshot lines. The first byte picks the feed
// and the depth; the rest is split into frames at '\n'. Every line written
// must be whole, valid JSON, sorted and uncrossed.
#include <cstdint>
#include <string>
#include <string_view>

#include "line_check.h"
#include "wsbook/feed.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool v2 = data[0] & 1;
  const bool on_change = data[0] & 2;
  const std::size_t depth = 1 + (data[0] >> 2) % 12;
  auto feed = wsbook::make_feed({v2 ? wsbook::FeedKind::gemini_v2 : wsbook::FeedKind::gemini_v1, "BTCUSD", depth, on_change});
  feed->on_connect();
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string out;
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    const std::string_view frame = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (feed->on_frame(frame, 1700000000000, out).kind == wsbook::FrameResult::Kind::resync) feed->on_connect();
  }
  wsbook::fuzz::check_lines(out);
  return 0;
}
