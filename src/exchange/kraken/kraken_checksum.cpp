#include "exchange/kraken/kraken_checksum.h"

#include "book/crc32.h"

#include <algorithm>
#include <bit>

#include "book/swar.h"

namespace wsbook::kraken {
namespace {

// Padding stops here: no pair comes near it, and it bounds the room one number needs.
constexpr std::size_t kMaxPadding = 64;
// Longer than any canonical decimal text (integer digits, '.', fraction digits).
constexpr std::size_t kMaxText = 40;
// The most characters one number writes: its text, its trimmed tail, its padding.
constexpr std::size_t kNumberRoom = kMaxText + 255 + kMaxPadding;

// Writes one number's digits at `p`, which has kNumberRoom free: its text without
// the '.' and the leading zeros, then its trimmed tail and the precision's
// padding as '0's. One pass, no call: it runs for every number of every checksum.
char* write_number(char* p, std::string_view text, std::size_t trimmed, std::optional<int> precision) {
  bool leading = true, dot = false;
  std::size_t frac = 0;
  for (const char c : text.substr(0, kMaxText)) {
    if (c == '.') {
      dot = true;
      continue;
    }
    frac += dot ? 1 : 0;
    if (leading && c == '0') continue;
    leading = false;
    *p++ = c;
  }
  if (leading) return p;  // all zeros: every '0' would be a leading one
  std::size_t zeros = dot ? trimmed : (trimmed > 0 ? trimmed - 1 : 0);  // a bare tail is '.' and zeros
  const std::size_t want = precision && *precision > 0 ? std::min<std::size_t>(*precision, kMaxPadding) : 0;
  if (want > frac + zeros) zeros = want - frac;
  for (std::size_t i = 0; i < zeros; ++i) *p++ = '0';
  return p;
}

#if defined(__SSE2__)
void copy16(char* to, const char* from) {
  _mm_storeu_si128(reinterpret_cast<__m128i*>(to), _mm_loadu_si128(reinterpret_cast<const __m128i*>(from)));
}

// How many of the 16 bytes at `p` lead with '0' (16 if all).
unsigned leading_zeros16(const char* p) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const auto zeros = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_set1_epi8('0'))));
  return static_cast<unsigned>(std::countr_zero(~zeros | 0x10000u));
}

// A level's text of up to 16 bytes has 32 readable from its start: the amount's
// text starts at most 2 + 38 bytes into Level::text.
static_assert(Level::kTextCapacity >= 2 + 38 + 32);

// The same digits in a few 16-byte copies rather than a character at a time, for a
// level's text of up to 16 bytes (nullptr for a longer one). A canonical text has
// no leading zero but a lone "0" before the '.', so only the fraction of a number
// below 1 has zeros to skip.
char* write_number_copied(char* p, std::string_view text, std::size_t trimmed, std::optional<int> precision) {
  if (text.size() > 16) return nullptr;
  const char* const t = text.data();
  const std::size_t whole = std::min<std::size_t>(swar::leading_digits16(t), text.size());
  const bool dot = whole < text.size();  // the one byte not a digit
  const std::size_t frac = dot ? text.size() - whole - 1 : 0;
  const std::size_t tail = dot ? trimmed : (trimmed > 0 ? trimmed - 1 : 0);
  const std::size_t want = precision && *precision > 0 ? std::min<std::size_t>(*precision, kMaxPadding) : 0;
  char* const start = p;
  if (whole != 1 || t[0] != '0') {
    copy16(p, t);
    p += whole;
  }
  if (frac > 0) {
    const char* const f = t + whole + 1;
    const std::size_t skip = p == start ? std::min<std::size_t>(leading_zeros16(f), frac) : 0;
    copy16(p, f + skip);
    p += frac - skip;
  }
  if (p == start) return p;  // all zeros: every '0' would be a leading one
  static constexpr char kZeros[16] = {'0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'};
  const std::size_t zeros = want > frac + tail ? want - frac : tail;
  for (std::size_t i = 0; i < zeros; i += 16) copy16(p + i, kZeros);
  return p + zeros;
}
#else
char* write_number_copied(char*, std::string_view, std::size_t, std::optional<int>) { return nullptr; }
#endif

// One number, copied where it can be, else a character at a time.
char* put_number(char* p, std::string_view text, std::size_t trimmed, std::optional<int> precision) {
  if (char* end = write_number_copied(p, text, trimmed, precision)) return end;
  return write_number(p, text, trimmed, precision);
}

// Collects the text in a buffer and hashes it a buffer at a time.
class CrcSink {
 public:
  void number(std::string_view text, std::size_t trimmed, std::optional<int> precision) {
    if (buf_.size() - n_ < kNumberRoom) flush();
    n_ = static_cast<std::size_t>(put_number(buf_.data() + n_, text, trimmed, precision) - buf_.data());
  }
  std::uint32_t finish() {
    flush();
    return crc_;
  }

 private:
  void flush() {
    crc_ = crc32({buf_.data(), n_}, crc_);
    n_ = 0;
  }
  std::array<char, 4 * kNumberRoom> buf_;
  std::size_t n_ = 0;
  std::uint32_t crc_ = 0;
};

class StringSink {
 public:
  explicit StringSink(std::string& out) : out_(out) {}
  void number(std::string_view text, std::size_t trimmed, std::optional<int> precision) {
    const std::size_t n = out_.size();
    out_.resize(n + kNumberRoom);
    out_.resize(static_cast<std::size_t>(put_number(out_.data() + n, text, trimmed, precision) - out_.data()));
  }
  // The text alone, a character at a time: the reference the tests hold the copies to.
  void text_number(std::string_view text, std::size_t trimmed, std::optional<int> precision) {
    const std::size_t n = out_.size();
    out_.resize(n + kNumberRoom);
    out_.resize(static_cast<std::size_t>(write_number(out_.data() + n, text, trimmed, precision) - out_.data()));
  }

 private:
  std::string& out_;
};

template <class Sink>
void emit_book(Sink& sink, const OrderBook& book, std::optional<int> price_precision,
               std::optional<int> qty_precision) {
  const auto level = [&](const Decimal&, const Level& l) {
    sink.number(l.price_text(), l.price_trimmed, price_precision);
    sink.number(l.amount_text(), l.amount_trimmed, qty_precision);
  };
  book.for_each_top(Side::ask, kChecksumLevels, level);
  book.for_each_top(Side::bid, kChecksumLevels, level);
}

}  // namespace


std::uint32_t book_checksum(const OrderBook& book, std::optional<int> price_precision,
                            std::optional<int> qty_precision) {
  CrcSink sink;
  emit_book(sink, book, price_precision, qty_precision);
  return sink.finish();
}

std::string checksum_text(const OrderBook& book, std::optional<int> price_precision,
                          std::optional<int> qty_precision) {
  std::string out;
  StringSink sink(out);
  emit_book(sink, book, price_precision, qty_precision);
  return out;
}

void append_number(std::string& out, std::string_view text, std::size_t trimmed, std::optional<int> precision) {
  StringSink(out).text_number(text, trimmed, precision);
}

}  // namespace wsbook::kraken
