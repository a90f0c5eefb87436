#include "capture/capture_format.h"

#include <simdjson.h>

#include <array>
#include <charconv>

#include "json/escape.h"

namespace wsbook::capture {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void append_int(std::int64_t v, std::string& out) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void append_key(std::string_view key, std::string& out) {
  out += ",\"";
  out += key;
  out += "\":";
}

void append_string_field(std::string_view key, std::string_view value, std::string& out) {
  append_key(key, out);
  append_json_string(value, out);
}

void append_strings(const std::vector<std::string>& v, std::string& out) {
  out += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(v[i], out);
  }
  out += ']';
}

// A frame that is one JSON value on one line goes in as it is: a replay reads it where it lies.
bool is_one_line_json(std::string_view bytes) {
  if (bytes.empty() || bytes.find_first_of("\n\r") != std::string_view::npos) return false;
  thread_local simdjson::dom::parser parser;
  return parser.parse(bytes.data(), bytes.size()).error() == simdjson::SUCCESS;
}

// Bytes as they came: text when it is UTF-8 (and came as text), else base64.
void append_bytes(std::string_view bytes, bool binary, std::string& out) {
  if (!binary && simdjson::validate_utf8(bytes.data(), bytes.size())) {
    out += R"(,"text":")";
    append_escaped(bytes, out);
    out += '"';
    return;
  }
  append_key("b64", out);
  out += '"';
  append_base64(bytes, out);
  out += '"';
  if (binary) out += ",\"binary\":true";
}

void append_start(std::size_t connection, std::int64_t us, Kind kind, std::string& out) {
  out += "{\"us\":";
  append_int(us, out);
  out += ",\"c\":";
  append_int(static_cast<std::int64_t>(connection), out);
  out += ",\"event\":\"";
  out += kind_name(kind);
  out += '"';
}

void append_response(const FetchResponse& r, std::string& out) {
  append_key("id", out);
  append_int(static_cast<std::int64_t>(r.id), out);
  append_key("status", out);
  append_int(r.status, out);
  append_bytes(r.body, false, out);
  if (r.retry_after) {
    append_key("retry_after_ms", out);
    append_int(r.retry_after->count(), out);
  }
  if (!r.error.empty()) append_string_field("error", r.error, out);
}

}  // namespace

std::string_view kind_name(Kind k) {
  static constexpr std::array<std::string_view, 9> kNames{"open", "send",  "frame", "fetch", "response",
                                                          "tick", "clock", "end",   "header"};
  return kNames[static_cast<std::size_t>(k)];
}

void append_header(const Header& h, std::int64_t now_us, std::string& out) {
  out += "{\"capture\":";
  append_int(kVersion, out);
  append_string_field("wsbook", h.wsbook, out);
  append_string_field("exchange", h.exchange, out);
  append_key("interval_ms", out);
  append_int(h.interval_ms, out);
  append_key("symbol_stale_ms", out);
  append_int(h.symbol_stale_ms, out);
  append_key("depth", out);
  append_int(static_cast<std::int64_t>(h.depth), out);
  append_key("us", out);
  append_int(now_us, out);
  out += ",\"connections\":[";
  for (std::size_t i = 0; i < h.connections.size(); ++i) {
    out += i > 0 ? ",{\"url\":" : "{\"url\":";
    append_json_string(h.connections[i].url, out);
    out += ",\"symbols\":";
    append_strings(h.connections[i].symbols, out);
    out += '}';
  }
  out += "]}\n";
}

void append_frame(std::size_t connection, std::int64_t us, std::string_view frame, bool binary, std::string& out) {
  append_start(connection, us, Kind::frame, out);
  if (!binary && is_one_line_json(frame)) {
    out += R"(,"json":)";
    out += frame;
  } else {
    append_bytes(frame, binary, out);
  }
  out += "}\n";
}

void append_event(const Event& e, std::string& out) {
  if (e.kind == Kind::frame) return append_frame(e.connection, e.us, e.text, e.binary, out);
  append_start(e.connection, e.us, e.kind, out);
  switch (e.kind) {
    case Kind::open:
      append_string_field("url", e.url, out);
      append_key("symbols", out);
      append_strings(e.symbols, out);
      append_string_field("how", e.text, out);
      break;
    case Kind::send: append_bytes(e.text, false, out); break;
    case Kind::fetch:
      append_key("id", out);
      append_int(static_cast<std::int64_t>(e.request.id), out);
      append_string_field("url", e.request.url, out);
      append_key("delay_ms", out);
      append_int(e.request.delay.count(), out);
      break;
    case Kind::response: append_response(e.response, out); break;
    case Kind::end:
      append_string_field("reason", e.text, out);
      out += e.last ? ",\"last\":true" : ",\"last\":false";
      break;
    default: break;
  }
  out += "}\n";
}

void append_base64(std::string_view bytes, std::string& out) {
  std::size_t i = 0;
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (const std::size_t left = bytes.size() - i; left > 0) {
    const std::uint32_t v = at(i) << 16 | (left > 1 ? at(i + 1) << 8 : 0);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += left > 1 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
}

bool decode_base64(std::string_view text, std::string& out) {
  if (text.size() % 4 != 0) return false;
  std::uint32_t v = 0;
  int bits = 0, pad = 0;
  for (char ch : text) {
    if (ch == '=') {
      ++pad;
      continue;
    }
    const std::size_t d = kAlphabet.find(ch);
    if (d == std::string_view::npos || pad > 0) return false;
    v = (v << 6) | static_cast<std::uint32_t>(d);
    if ((bits += 6) >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xFF);
    }
  }
  return pad <= 2;
}

}  // namespace wsbook::capture
