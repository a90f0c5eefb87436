#include "json/rfc3339.h"

#include <array>
#include <cstddef>
#include <cstring>

namespace wsbook::json {
namespace {

// `n` digits at `pos` as a number, or -1.
int digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// The fraction's milliseconds from `pos` (after the '.'); moves `pos` past its digits.
std::optional<int> fraction_ms(std::string_view s, std::size_t& pos) {
  const std::size_t start = pos;
  int ms = 0;
  for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
    if (pos - start < 3) ms = ms * 10 + (s[pos] - '0');
  }
  if (pos == start) return std::nullopt;
  for (std::size_t n = pos - start; n < 3; ++n) ms *= 10;
  return ms;
}

// "Z", "z" or "+hh:mm"/"-hh:mm" at `pos`, to the end: the offset east of UTC in minutes.
std::optional<int> offset_minutes(std::string_view s, std::size_t pos) {
  if (pos + 1 == s.size() && (s[pos] == 'Z' || s[pos] == 'z')) return 0;
  if (pos + 6 != s.size() || (s[pos] != '+' && s[pos] != '-') || s[pos + 3] != ':') return std::nullopt;
  const int h = digits(s, pos + 1, 2), m = digits(s, pos + 4, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
  return (s[pos] == '-' ? -1 : 1) * (h * 60 + m);
}

// "YYYY-MM-DDThh:mm:ss" (the first 19 bytes) as seconds since the epoch, before the offset.
std::optional<std::int64_t> local_seconds(std::string_view s) {
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  const int y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  const int h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return std::nullopt;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return std::nullopt;
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

// The last whole second read, per thread: a venue's frames carry the same one many times over.
struct SecondsMemo {
  std::array<char, 19> text{};
  std::int64_t seconds = 0;
  bool valid = false;
};
thread_local SecondsMemo memo;

}  // namespace

std::optional<std::int64_t> parse_rfc3339_ms(std::string_view s) {
  if (s.size() < 20) return std::nullopt;
  std::int64_t seconds = memo.seconds;
  if (!memo.valid || std::memcmp(s.data(), memo.text.data(), memo.text.size()) != 0) {
    const std::optional<std::int64_t> read = local_seconds(s);
    if (!read) return std::nullopt;
    std::memcpy(memo.text.data(), s.data(), memo.text.size());
    memo.seconds = seconds = *read;
    memo.valid = true;
  }
  std::size_t pos = 19;
  int ms = 0;
  if (s[pos] == '.') {
    const auto f = fraction_ms(s, ++pos);
    if (!f) return std::nullopt;
    ms = *f;
  }
  const auto offset = offset_minutes(s, pos);
  if (!offset) return std::nullopt;
  return (seconds - *offset * 60) * 1000 + ms;
}

}  // namespace wsbook::json
