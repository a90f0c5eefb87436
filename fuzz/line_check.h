#pragma once
// What every snapshot line must be, whatever the input: one line of valid JSON,
// bids strictly descending, asks strictly ascending, never crossed.

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "wsbook/decimal.h"

namespace wsbook::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view line) {
  std::fprintf(stderr, "line check failed: %s\n%.*s\n", what, static_cast<int>(line.size()), line.data());
  std::abort();
}

/// The prices of one side, read back from the line's text with wsbook's exact decimals.
inline std::vector<Decimal> side_prices(std::string_view line, std::string_view key) {
  std::vector<Decimal> prices;
  std::size_t pos = line.find(key);
  if (pos == std::string_view::npos) fail("side missing", line);
  pos += key.size();
  while (line[pos] == '[' || line[pos] == ',') {
    if (line[pos] == ',' ) ++pos;
    if (line[pos] != '[') break;
    const std::size_t comma = line.find(',', pos);
    DecimalText d;
    if (!parse_decimal(line.substr(pos + 1, comma - pos - 1), d).empty()) fail("price not decimal", line);
    prices.push_back(d.value);
    pos = line.find(']', comma) + 1;
  }
  return prices;
}

/// Aborts unless `lines` holds only well-formed, sorted, uncrossed snapshot lines.
inline void check_lines(std::string_view lines) {
  std::size_t start = 0;
  while (start < lines.size()) {
    const std::size_t end = lines.find('\n', start);
    if (end == std::string_view::npos) fail("torn line", lines.substr(start));
    const std::string_view line = lines.substr(start, end - start);
    if (!nlohmann::json::accept(line)) fail("not JSON", line);
    const auto bids = side_prices(line, R"("bids":[)");
    const auto asks = side_prices(line, R"("asks":[)");
    for (std::size_t i = 1; i < bids.size(); ++i) if (!(bids[i] < bids[i - 1])) fail("bids not descending", line);
    for (std::size_t i = 1; i < asks.size(); ++i) if (!(asks[i - 1] < asks[i])) fail("asks not ascending", line);
    if (!bids.empty() && !asks.empty() && !(bids[0] < asks[0])) fail("crossed", line);
    start = end + 1;
  }
}

}  // namespace wsbook::fuzz
