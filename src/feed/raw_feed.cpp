#include "wsbook/feed.h"

namespace wsbook {
namespace {

// --raw of a feed wsbook does not know: it only subscribes. The crawl's
// capture, which --raw makes its output, records the frames.
class RawFeed final : public Feed {
 public:
  explicit RawFeed(std::vector<std::string> subscribe) : subscribe_(std::move(subscribe)) {}
  void on_connect(Link& link) override {
    got_frame_ = false;
    for (const std::string& f : subscribe_) link.send(f);
  }
  // A capture has no snapshot: a connection is useful once a frame came.
  bool has_snapshot() const override { return got_frame_; }

  FrameResult on_frame(std::string_view, Arrival, Link&, std::string&) override {
    ++stats_.frames;
    got_frame_ = true;
    return {};
  }

 private:
  std::vector<std::string> subscribe_;
  bool got_frame_ = false;
};

}  // namespace

std::unique_ptr<Feed> make_raw_feed(std::vector<std::string> subscribe) {
  return std::make_unique<RawFeed>(std::move(subscribe));
}

}  // namespace wsbook
