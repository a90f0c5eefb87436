#include "exchange/kraken/kraken_checksum.h"

#include "book/crc32.h"

#include <algorithm>

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

// Collects the text in a buffer and hashes it a buffer at a time.
class CrcSink {
 public:
  void number(std::string_view text, std::size_t trimmed, std::optional<int> precision) {
    if (buf_.size() - n_ < kNumberRoom) flush();
    n_ = static_cast<std::size_t>(write_number(buf_.data() + n_, text, trimmed, precision) - buf_.data());
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
  StringSink(out).number(text, trimmed, precision);
}

}  // namespace wsbook::kraken
