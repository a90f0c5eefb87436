#include "gemini_v1_fast.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "wsbook/decimal.h"

namespace wsbook {
namespace {

// The keys the fast path reads, one bit each.
enum Key : unsigned {
  kType = 1u << 0, kSide = 1u << 1, kReason = 1u << 2, kMakerSide = 1u << 3,
  kPrice = 1u << 4, kRemaining = 1u << 5, kAmount = 1u << 6, kTid = 1u << 7,
  kSequence = 1u << 8, kEventId = 1u << 9, kTimestamp = 1u << 10, kEvents = 1u << 11,
};

bool has(unsigned seen, unsigned keys) { return (seen & keys) == keys; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Strings and numbers are read eight bytes at a time where the bytes allow it:
// byte by byte they were most of the parse.
constexpr bool kLittleEndian = std::endian::native == std::endian::little;
constexpr std::uint64_t kOnes = 0x0101010101010101;
constexpr std::uint64_t kHighs = 0x8080808080808080;

template <class Word = std::uint64_t>
Word load(const char* p) {
  Word word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// Whether the n bytes at `a` and `b` are the same, compared with overlapping loads
// of the widest word that fits: gcc calls memcmp for more than three bytes.
template <std::size_t n>
bool same_bytes(const char* a, const char* b) {
  using Word = std::conditional_t<(n >= 8), std::uint64_t, std::conditional_t<(n >= 4), std::uint32_t, char>>;
  constexpr std::size_t w = sizeof(Word);
  for (std::size_t i = 0; i + w < n; i += w) {
    if (load<Word>(a + i) != load<Word>(b + i)) return false;
  }
  return load<Word>(a + n - w) == load<Word>(b + n - w);
}

// The high bit of each byte of `word` that ends a plain string: '"', '\\', a
// control character or a non-ASCII byte. Bits above the first may be false alarms.
std::uint64_t stop_bytes(std::uint64_t word) {
  const std::uint64_t quote = word ^ (kOnes * '"'), backslash = word ^ (kOnes * '\\');
  const std::uint64_t zero_quote = quote - kOnes, zero_backslash = backslash - kOnes;
  const std::uint64_t below_space = word - kOnes * 0x20;
  return ((zero_quote & ~quote) | (zero_backslash & ~backslash) | (below_space & ~word) | word) & kHighs;
}

bool eight_digits(std::uint64_t word) {
  constexpr std::uint64_t high_nibbles = 0xF0F0F0F0F0F0F0F0;
  return ((word & high_nibbles) | (((word + kOnes * 6) & high_nibbles) >> 4)) == kOnes * 0x33;
}

// Eight ASCII digits, the first in memory the most significant (Lemire's method).
std::uint64_t eight_digits_value(std::uint64_t word) {
  constexpr std::uint64_t mask = 0x000000FF000000FF;
  constexpr std::uint64_t mul1 = 100 + (1000000ull << 32), mul2 = 1 + (10000ull << 32);
  word -= kOnes * '0';
  word = word * 10 + (word >> 8);
  return (((word & mask) * mul1) + (((word >> 16) & mask) * mul2)) >> 32;
}

// A strict JSON reader over one frame: each method is false on anything it does
// not take, and the whole parse then gives up.
struct Cursor {
  const char* p;
  const char* end;

  // One compare when no space follows, as in nearly every frame.
  void skip_space() {
    while (p != end && static_cast<unsigned char>(*p) <= ' ' &&
           (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) {
      ++p;
    }
  }

  // The byte `ahead` bytes on, or '\0' past the end.
  char peek(std::ptrdiff_t ahead) const { return end - p > ahead ? p[ahead] : '\0'; }

  bool at_end() {
    skip_space();
    return p == end;
  }

  // The byte itself first: frames seldom hold spaces.
  bool expect(char c) {
    if (p == end || *p != c) {
      skip_space();
      if (p == end || *p != c) return false;
    }
    ++p;
    return true;
  }

  // Printable ASCII only: escapes, control characters and UTF-8 go the general way.
  bool string(std::string_view& out) {
    if (!expect('"')) return false;
    const char* const begin = p;
    for (std::uint64_t stops; kLittleEndian && end - p >= 8; p += 8) {
      if ((stops = stop_bytes(load(p))) != 0) {
        p += std::countr_zero(stops) / 8;
        return close_string(begin, out);
      }
    }
    while (p != end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) - 0x20u < 0x60u) ++p;
    return close_string(begin, out);
  }

  bool close_string(const char* begin, std::string_view& out) {
    if (p == end || *p != '"') return false;
    out = std::string_view(begin, static_cast<std::size_t>(p - begin));
    ++p;
    return true;
  }

  // At most 19 digits, so it fits; the JSON grammar forbids leading zeros.
  bool uint(std::uint64_t& out) {
    skip_space();
    const char* const begin = p;
    std::uint64_t v = 0;
    for (std::uint64_t word; kLittleEndian && end - p >= 8 && eight_digits(word = load(p)); p += 8) {
      v = v * 100000000 + eight_digits_value(word);
    }
    for (; p != end && is_digit(*p); ++p) v = v * 10 + static_cast<std::uint64_t>(*p - '0');
    const auto digits = p - begin;
    if (digits == 0 || digits > 19 || (digits > 1 && *begin == '0')) return false;
    out = v;
    return true;
  }

  // A decimal in a JSON string, as json::read_decimal reads one.
  bool decimal(DecimalText& out, std::string_view& err) {
    std::string_view text;
    if (!string(text)) return false;
    err = parse_decimal(text, out);
    return err.empty();
  }

  bool digits() {
    const char* const begin = p;
    while (kLittleEndian && end - p >= 8 && eight_digits(load(p))) p += 8;
    while (p != end && is_digit(*p)) ++p;
    return p != begin;
  }

  // Any number the JSON grammar allows, of any size: it is only skipped.
  bool number() {
    if (p != end && *p == '-') ++p;
    if (p != end && *p == '0') ++p;
    else if (!digits()) return false;
    if (p != end && *p == '.') {
      ++p;
      if (!digits()) return false;
    }
    if (p != end && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p != end && (*p == '+' || *p == '-')) ++p;
      if (!digits()) return false;
    }
    return true;
  }

  template <std::size_t size>
  bool literal(const char (&text)[size]) {
    constexpr std::size_t n = size - 1;  // without the literal's '\0'
    if (static_cast<std::size_t>(end - p) < n || !same_bytes<n>(p, text)) return false;
    p += n;
    return true;
  }

  // Scalars only: an object or an array in an unknown key goes the general way.
  bool skip_value() {
    skip_space();
    if (p == end) return false;
    std::string_view ignored;
    switch (*p) {
      case '"': return string(ignored);
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }
};

// Reads a non-empty `{"key":value,...}`, calling read_field() at each key.
template <class ReadField>
bool read_object(Cursor& c, ReadField&& read_field) {
  if (!c.expect('{')) return false;
  do {
    if (!read_field()) return false;
  } while (c.expect(','));
  return c.expect('}');
}

// A key the fast path does not read, and its value. Its colon must follow right
// away: a known key with a space before its colon missed its literal compare.
bool skip_field(Cursor& c) {
  std::string_view name;
  return c.string(name) && c.literal(":") && c.skip_value();
}

// A key may come once: with a repeated one the general path would read both.
bool first_time(unsigned& seen, Key key) {
  if (seen & key) return false;
  seen |= key;
  return true;
}

// Changes and trades only: auctions and the like are rare enough for the general path.
bool read_event_type(Cursor& c, std::string_view& type) {
  c.skip_space();
  if (c.literal("\"change\"")) type = "change";
  else if (c.literal("\"trade\"")) type = "trade";
  else return false;
  return true;
}

// Keys are told apart by their first letter and one compare each, with quotes and
// colon: scanning them and then looking them up was a third of the parse.
bool read_event_field(Cursor& c, V1RawEvent& e, unsigned& seen) {
  c.skip_space();
  switch (c.peek(1)) {
    case 't':
      if (c.literal("\"type\":")) return first_time(seen, kType) && read_event_type(c, e.type);
      if (c.literal("\"tid\":")) return first_time(seen, kTid) && c.uint(e.tid);
      break;
    case 's':
      if (c.literal("\"side\":")) return first_time(seen, kSide) && c.string(e.side);
      break;
    case 'p':
      if (c.literal("\"price\":")) return first_time(seen, kPrice) && c.decimal(e.price, e.price_err);
      break;
    case 'r':
      if (c.literal("\"remaining\":")) return first_time(seen, kRemaining) && c.decimal(e.remaining, e.remaining_err);
      if (c.literal("\"reason\":")) return first_time(seen, kReason) && c.string(e.reason);
      break;
    case 'd':
      if (c.literal("\"delta\":")) return c.skip_value();
      break;
    case 'a':
      if (c.literal("\"amount\":")) return first_time(seen, kAmount) && c.decimal(e.amount, e.amount_err);
      break;
    case 'm':
      if (c.literal("\"makerSide\":")) return first_time(seen, kMakerSide) && c.string(e.maker_side);
      break;
  }
  return skip_field(c);
}

bool read_event(Cursor& c, V1Frame& out) {
  V1RawEvent e;
  unsigned seen = 0;
  if (!read_object(c, [&] { return read_event_field(c, e, seen); })) return false;
  e.has_tid = (seen & kTid) != 0;
  return add_v1_event(e, out).empty();
}

bool read_events(Cursor& c, V1Frame& out) {
  if (!c.expect('[')) return false;
  if (c.expect(']')) return true;
  do {
    if (!read_event(c, out)) return false;
  } while (c.expect(','));
  return c.expect(']');
}

bool read_frame_type(Cursor& c, V1Frame::Type& type) {
  c.skip_space();
  if (c.literal("\"update\"")) type = V1Frame::Type::update;
  else if (c.literal("\"heartbeat\"")) type = V1Frame::Type::heartbeat;
  else return false;
  return true;
}

// Non-negative only: a negative time is odd enough for the general path.
bool read_timestamp(Cursor& c, V1Frame& out) {
  std::uint64_t ms = 0;
  if (!c.uint(ms) || ms > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
  out.timestamp_ms = static_cast<std::int64_t>(ms);
  return true;
}

bool read_top_field(Cursor& c, V1Frame& out, unsigned& seen) {
  c.skip_space();
  switch (c.peek(1)) {
    case 't':
      if (c.literal("\"type\":")) return first_time(seen, kType) && read_frame_type(c, out.type);
      if (c.literal("\"timestamp\":")) return c.skip_value();
      if (c.literal("\"timestampms\":")) return first_time(seen, kTimestamp) && read_timestamp(c, out);
      break;
    case 'e':
      if (c.literal("\"eventId\":")) return first_time(seen, kEventId) && c.uint(out.event_id);
      if (c.literal("\"events\":")) return first_time(seen, kEvents) && read_events(c, out);
      break;
    case 's':
      if (c.literal("\"socket_sequence\":")) return first_time(seen, kSequence) && c.uint(out.socket_sequence);
      break;
  }
  return skip_field(c);
}

}  // namespace

// Flattened, so the cursor lives in registers: passed by reference to a call, it
// lives in memory, and each token waits on a store and a load (a third slower).
[[gnu::flatten]] bool parse_v1_fast(std::string_view frame, V1Frame& out) {
  reset_v1_frame(out);
  Cursor c{frame.data(), frame.data() + frame.size()};
  unsigned seen = 0;
  if (!read_object(c, [&] { return read_top_field(c, out, seen); }) || !c.at_end()) return false;
  return has(seen, kType | kSequence) && (out.type == V1Frame::Type::heartbeat || has(seen, kEventId | kEvents));
}

}  // namespace wsbook
