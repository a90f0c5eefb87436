#include "json/escape.h"
#include "wsbook/feed.h"

#include <simdjson.h>

#include <charconv>

namespace wsbook {
namespace {

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

std::unique_ptr<Feed> make_raw_feed(std::vector<std::string> subscribe) {
  return std::make_unique<RawFeed>(std::move(subscribe));
}

}  // namespace wsbook
