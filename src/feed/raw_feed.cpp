#include "feed/raw_feed.h"

#include <simdjson.h>

#include <charconv>

namespace wsbook {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  return simdjson::validate_utf8(s.data() + i, n) ? n : 0;
}

void append_escaped_ascii(char c, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
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

class RawFeed final : public Feed {
 public:
  explicit RawFeed(std::vector<std::string> subscribe) : subscribe_(std::move(subscribe)) {}
  void on_connect(Link& link) override {
    got_frame_ = false;
    for (const std::string& f : subscribe_) link.send(f);
  }
  // A capture has no snapshot: a connection is useful once a frame came.
  bool has_snapshot() const override { return got_frame_; }

  FrameResult on_frame(std::string_view frame, Arrival at, Link&, std::string& out) override {
    const std::int64_t now_ms = at.ms;
    ++stats_.frames;
    got_frame_ = true;
    char ts[24];
    out.append(R"({"ts":)");
    out.append(ts, std::to_chars(ts, ts + sizeof ts, now_ms).ptr);
    out.append(R"(,"frame":)");
    append_frame(frame, out);
    out.append("}\n");
    ++stats_.lines;
    return {FrameResult::Kind::line, 1, {}};
  }

 private:
  void append_frame(std::string_view frame, std::string& out) {
    simdjson::dom::element root;
    if (parser_.parse(frame.data(), frame.size()).get(root) == simdjson::SUCCESS) {
      // A valid frame may span lines; minified it keeps to one.
      const std::size_t start = out.size();
      out.resize(start + frame.size());
      std::size_t len = 0;
      if (simdjson::minify(frame.data(), frame.size(), out.data() + start, len) == simdjson::SUCCESS) {
        out.resize(start + len);
        return;
      }
      out.resize(start);
    }
    ++stats_.malformed;
    append_json_string(frame, out);
  }

  std::vector<std::string> subscribe_;
  simdjson::dom::parser parser_;
  bool got_frame_ = false;
};

}  // namespace

void append_json_string(std::string_view text, std::string& out) {
  out += '"';
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

std::unique_ptr<Feed> make_raw_feed(std::vector<std::string> subscribe) {
  return std::make_unique<RawFeed>(std::move(subscribe));
}

}  // namespace wsbook
