// RFC 3339 UTC times and product names in free text, without locale or time zone libraries.
#include "exchange/coinbase/coinbase_parser.h"

namespace wsbook::coinbase {
namespace {

// `n` decimal digits at `pos`, or -1.
int read_digits(std::string_view s, std::size_t pos, std::size_t n) {
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

bool separators_ok(std::string_view s) {
  return s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == 't') && s[13] == ':' && s[16] == ':';
}

// The milliseconds of ".714964855Z" (or "Z"), or -1.
int read_fraction_ms(std::string_view tail) {
  if (tail.empty() || (tail.back() != 'Z' && tail.back() != 'z')) return -1;
  tail.remove_suffix(1);
  if (tail.empty()) return 0;
  if (tail[0] != '.' || tail.size() < 2 || tail.size() > 10) return -1;
  tail.remove_prefix(1);
  if (read_digits(tail, 0, tail.size()) < 0) return -1;
  int ms = 0;
  for (std::size_t i = 0; i < 3; ++i) ms = ms * 10 + (i < tail.size() ? tail[i] - '0' : 0);
  return ms;
}

bool word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// Upper-case letters and digits on both sides of exactly one '-'.
bool product_like(std::string_view t) {
  for (char c : t) {
    if (c >= 'a' && c <= 'z') return false;
  }
  const std::size_t dash = t.find('-');
  return dash != std::string_view::npos && dash > 0 && dash + 1 < t.size() &&
         t.find('-', dash + 1) == std::string_view::npos;
}

}  // namespace

std::optional<std::int64_t> parse_utc_ms(std::string_view s) {
  if (s.size() < 20 || !separators_ok(s)) return std::nullopt;
  const int y = read_digits(s, 0, 4), mo = read_digits(s, 5, 2), d = read_digits(s, 8, 2);
  const int h = read_digits(s, 11, 2), mi = read_digits(s, 14, 2), sec = read_digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return std::nullopt;
  // A leap second is valid RFC 3339: it counts as the start of the next second.
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return std::nullopt;
  const int ms = read_fraction_ms(s.substr(19));
  if (ms < 0) return std::nullopt;
  const std::int64_t seconds = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
  return seconds * 1000 + ms;
}

std::string_view find_product(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !word_char(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && word_char(text[i])) ++i;
    // Whole words only: "Non-USD" or "xBTC-USD" are not products.
    if (const std::string_view word = text.substr(start, i - start); product_like(word)) return word;
  }
  return {};
}

}  // namespace wsbook::coinbase
