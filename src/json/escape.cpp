#include "json/escape.h"

#include <simdjson.h>

#include <bit>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace wsbook {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// How many bytes from `p` (at most `n`) need no escaping: no '"', '\' or control byte.
std::size_t plain_run(const char* p, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), low = _mm_set1_epi8(0x1F);
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash));
    stop = _mm_or_si128(stop, _mm_cmpeq_epi8(_mm_max_epu8(x, low), low));  // bytes <= 0x1F
    if (const int mask = _mm_movemask_epi8(stop); mask != 0) return i + static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c == '"' || c == '\\' || c < 0x20) return i;
  }
  return n;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  return simdjson::validate_utf8(s.data() + i, n) ? n : 0;
}

void append_escaped_ascii(char c, std::string& out) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  if (static_cast<unsigned char>(c) < 0x20) {
    out += "\\u00";
    out += kHex[(c >> 4) & 0xF];
    out += kHex[c & 0xF];
  } else {
    out += c;
  }
}

}  // namespace

void append_escaped(std::string_view text, std::string& out) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t run = plain_run(text.data() + i, text.size() - i);
    out.append(text.data() + i, run);
    i += run;
    if (i < text.size()) append_escaped_ascii(text[i++], out);
  }
}

void append_json_string(std::string_view text, std::string& out) {
  out += '"';
  if (simdjson::validate_utf8(text.data(), text.size())) {
    append_escaped(text, out);
    out += '"';
    return;
  }
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_length(text, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
    } else if (n == 1) {
      append_escaped_ascii(text[i++], out);
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  out += '"';
}

}  // namespace wsbook
