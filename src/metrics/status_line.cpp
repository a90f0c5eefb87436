#include "metrics/status_line.h"

#include <sys/ioctl.h>

#include <cmath>
#include <cstdio>

namespace wsbook::metrics {
namespace {

std::string one_decimal(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// The symbol heard from longest ago (one never heard first), in words; "" without symbols.
std::string oldest_frame(const CrawlSnapshot& s) {
  const SymbolReport* oldest = nullptr;
  for (const SymbolReport& r : s.symbols) {
    if (r.rejected) continue;
    if (oldest == nullptr || r.heard_ms < oldest->heard_ms) oldest = &r;
  }
  if (oldest == nullptr) return {};
  if (oldest->heard_ms == 0) return "no frame yet of " + oldest->symbol;
  return "oldest frame " + one_decimal(age_seconds(oldest->heard_ms, s.now_ms)) + " s ago (" + oldest->symbol + ")";
}

}  // namespace

std::string status_text(const CrawlSnapshot& s, double lines_per_second, std::size_t columns) {
  std::size_t trusted = 0, live = 0;
  for (const SymbolReport& r : s.symbols) {
    live += r.rejected ? 0 : 1;
    trusted += r.trusted ? 1 : 0;
  }
  std::string text = std::to_string(trusted) + "/" + std::to_string(live) + (live == 1 ? " book" : " books") +
                     " trusted, " + std::to_string(std::lround(lines_per_second)) + " lines/s, " +
                     std::to_string(s.reconnects) + (s.reconnects == 1 ? " reconnect" : " reconnects");
  if (const std::string oldest = oldest_frame(s); !oldest.empty()) text += ", " + oldest;
  // A line as wide as the terminal would wrap, and each redraw would scroll.
  if (columns > 0 && text.size() >= columns) text.resize(columns - 1);
  return text;
}

std::size_t terminal_columns(int fd) {
  winsize w{};
  if (::ioctl(fd, TIOCGWINSZ, &w) != 0) return 0;
  return w.ws_col;
}

}  // namespace wsbook::metrics
