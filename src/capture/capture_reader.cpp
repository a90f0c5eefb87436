#include "capture/capture_reader.h"

#include <algorithm>
#include <charconv>
#include <chrono>


namespace wsbook::capture {
namespace {

using simdjson::dom::object;

bool kind_of(std::string_view name, Kind& k) {
  for (int i = 0; i <= static_cast<int>(Kind::end); ++i) {  // not `header`: no event is called so
    if (kind_name(static_cast<Kind>(i)) == name) return k = static_cast<Kind>(i), true;
  }
  return false;
}

bool get_int(object o, const char* key, std::int64_t& v) { return o[key].get_int64().get(v) == simdjson::SUCCESS; }

bool get_string(object o, const char* key, std::string& v) {
  std::string_view s;
  if (o[key].get_string().get(s) != simdjson::SUCCESS) return false;
  v.assign(s);
  return true;
}

bool get_strings(object o, const char* key, std::vector<std::string>& v) {
  simdjson::dom::array a;
  if (o[key].get_array().get(a) != simdjson::SUCCESS) return false;
  v.clear();
  for (auto item : a) {
    std::string_view s;
    if (item.get_string().get(s) != simdjson::SUCCESS) return false;
    v.emplace_back(s);
  }
  return true;
}

// A frame's (or body's) bytes: "json" (minified if the line was not as written), "text", or "b64" (and "binary").
bool get_bytes(object o, std::string& bytes, bool& binary) {
  if (simdjson::dom::element json; o["json"].get(json) == simdjson::SUCCESS) {
    bytes = simdjson::minify(json);
    return binary = false, true;
  }
  if (get_string(o, "text", bytes)) return binary = false, true;
  std::string_view b64;
  if (o["b64"].get_string().get(b64) != simdjson::SUCCESS) return false;
  bytes.clear();
  if (!decode_base64(b64, bytes)) return false;
  bool flag = false;
  binary = o["binary"].get_bool().get(flag) == simdjson::SUCCESS && flag;
  return true;
}

bool get_response(object o, FetchResponse& r) {
  std::int64_t id = 0, status = 0, retry = -1;
  bool binary = false;
  if (!get_int(o, "id", id) || !get_int(o, "status", status) || !get_bytes(o, r.body, binary)) return false;
  r.id = static_cast<std::uint64_t>(id);
  r.status = static_cast<int>(status);
  r.retry_after.reset();
  // As a live reply's Retry-After is taken: within a day.
  if (get_int(o, "retry_after_ms", retry)) r.retry_after = std::chrono::milliseconds(std::clamp<std::int64_t>(retry, 0, 86'400'000));
  r.error.clear();
  get_string(o, "error", r.error);
  return true;
}

bool take(std::string_view line, std::size_t& pos, std::string_view text) {
  if (line.substr(pos, text.size()) != text) return false;
  pos += text.size();
  return true;
}

bool take_int(std::string_view line, std::size_t& pos, std::int64_t& v) {
  const auto [end, ec] = std::from_chars(line.data() + pos, line.data() + line.size(), v);
  if (ec != std::errc()) return false;
  pos = static_cast<std::size_t>(end - line.data());
  return true;
}

// A text frame's line as append_frame() writes it, read without a DOM: they are nearly all of a
// capture. Anything else (or anything odd) goes the general way.
bool fast_frame(std::string_view line, Event& e) {
  std::size_t pos = 0;
  std::int64_t c = 0;
  if (!take(line, pos, R"({"us":)") || !take_int(line, pos, e.us) || !take(line, pos, R"(,"c":)") ||
      !take_int(line, pos, c) || c < 0) {
    return false;
  }
  const std::size_t last = line.find_last_not_of(' ');  // page padding may follow
  if (!take(line, pos, R"(,"event":"frame","json":)") || last == std::string_view::npos || last <= pos ||
      line[last] != '}') {
    return false;
  }
  e.frame = line.substr(pos, last - pos);
  e.kind = Kind::frame;
  e.connection = static_cast<std::size_t>(c);
  e.binary = false;
  return true;
}

}  // namespace

std::string Reader::parse(std::string_view line, bool& is_header, Header& header, Event& event) {
  if (fast_frame(line, event)) return is_header = false, "";
  simdjson::dom::element root;
  if (parser_.parse(line.data(), line.size()).get(root) != simdjson::SUCCESS) return "not JSON";
  object o;
  if (root.get_object().get(o) != simdjson::SUCCESS) return "not a JSON object";
  is_header = o["capture"].error() == simdjson::SUCCESS;
  return is_header ? parse_header(o, header) : parse_event(o, event);
}

std::string Reader::parse_header(object o, Header& h) {
  std::int64_t version = 0;
  if (!get_int(o, "capture", version) || version != kVersion) {
    return "a capture of format " + std::to_string(version) + " (this wsbook reads " + std::to_string(kVersion) + ")";
  }
  simdjson::dom::array connections;
  if (!get_string(o, "exchange", h.exchange) || !get_int(o, "interval_ms", h.interval_ms) ||
      o["connections"].get_array().get(connections) != simdjson::SUCCESS) {
    return "a capture header without exchange, interval_ms or connections";
  }
  get_string(o, "wsbook", h.wsbook);
  h.symbol_stale_ms = 0;
  get_int(o, "symbol_stale_ms", h.symbol_stale_ms);
  h.us = 0;
  get_int(o, "us", h.us);
  std::int64_t depth = 0;
  h.depth = get_int(o, "depth", depth) && depth > 0 ? static_cast<std::size_t>(depth) : 0;
  h.connections.clear();
  for (auto item : connections) {
    object c;
    PlannedConnection p;
    if (item.get_object().get(c) != simdjson::SUCCESS || !get_string(c, "url", p.url) ||
        !get_strings(c, "symbols", p.symbols)) {
      return "a capture header with a malformed connection";
    }
    h.connections.push_back(std::move(p));
  }
  return "";
}

std::string Reader::parse_event(object o, Event& e) {
  std::int64_t c = 0;
  std::string_view name;
  if (!get_int(o, "us", e.us) || !get_int(o, "c", c) || c < 0 || o["event"].get_string().get(name) != simdjson::SUCCESS ||
      !kind_of(name, e.kind)) {
    return "not a capture record (no us, c or event)";
  }
  e.connection = static_cast<std::size_t>(c);
  return parse_details(o, e);
}

std::string Reader::parse_details(object o, Event& e) {
  bool ok = true;
  std::int64_t id = 0, delay = 0;
  switch (e.kind) {
    case Kind::frame:
    case Kind::send:
      ok = get_bytes(o, e.text, e.binary);
      e.frame = e.text;
      break;
    case Kind::open:
      ok = get_string(o, "url", e.url) && get_strings(o, "symbols", e.symbols) && get_string(o, "how", e.text);
      break;
    case Kind::fetch:
      ok = get_int(o, "id", id) && get_string(o, "url", e.request.url) && get_int(o, "delay_ms", delay);
      e.request.id = static_cast<std::uint64_t>(id);
      e.request.delay = std::chrono::milliseconds(delay);
      break;
    case Kind::response: ok = get_response(o, e.response); break;
    case Kind::end: ok = get_string(o, "reason", e.text) && o["last"].get_bool().get(e.last) == simdjson::SUCCESS; break;
    default: break;
  }
  return ok ? "" : "a malformed " + std::string(kind_name(e.kind)) + " record";
}

}  // namespace wsbook::capture
