#include <algorithm>
#include <cctype>

#include "book_feed.h"
#include "raw_feed.h"
#include "wsbook/gemini.h"

namespace wsbook {
namespace {

bool same_symbol(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
  });
}

// Gemini v1: one symbol per connection; socket_sequence counts every frame.
class GeminiV1Feed final : public BookFeed {
 public:
  using BookFeed::BookFeed;

  void on_connect() override {
    BookFeed::on_connect();
    next_sequence_ = 0;
  }

  FrameResult on_frame(std::string_view frame, std::int64_t now_ms, std::string& out) override {
    ++stats_.frames;
    // The frame outlives msg_'s use: its changes are applied before this returns.
    if (auto err = parser_.parse_view(frame, msg_); !err.empty()) return malformed(err, frame);
    if (msg_.socket_sequence != next_sequence_) {
      ++stats_.gaps;
      return resync("sequence gap: expected socket_sequence " + std::to_string(next_sequence_) +
                    ", got " + std::to_string(msg_.socket_sequence));
    }
    ++next_sequence_;
    if (msg_.type == V1Frame::Type::heartbeat) return {};
    // The first update of a connection is the whole book, even an empty one.
    const bool snapshot = msg_.initial || msg_.socket_sequence == 0;
    if (snapshot) {
      book_.clear();
      snapshot_applied();
    } else if (!has_snapshot()) {
      ++stats_.dropped_before_snapshot;
      return {};
    }
    if (msg_.top_of_book) book_.set_mode(BookMode::top_of_book);
    for (const BookChange& c : msg_.changes) book_.apply(c);
    return finish_frame(!msg_.changes.empty(), snapshot, now_ms, out);
  }

 private:
  GeminiV1Parser parser_;
  V1Frame msg_;
  std::uint64_t next_sequence_ = 0;
};

// Gemini v2: many symbols per connection, no sequence numbers at all.
class GeminiV2Feed final : public BookFeed {
 public:
  using BookFeed::BookFeed;

  FrameResult on_frame(std::string_view frame, std::int64_t now_ms, std::string& out) override {
    ++stats_.frames;
    if (auto err = parser_.parse(frame, msg_); !err.empty()) return malformed(err, frame);
    if (msg_.type != V2Message::Type::l2_updates || !same_symbol(msg_.symbol, options_.symbol)) {
      return {};
    }
    if (msg_.snapshot) {
      book_.clear();  // a lost delta cannot be seen in v2: every snapshot starts afresh
      snapshot_applied();
    } else if (!has_snapshot()) {
      ++stats_.dropped_before_snapshot;
      return {};
    }
    for (const BookChange& c : msg_.changes) book_.apply(c);
    return finish_frame(!msg_.changes.empty(), msg_.snapshot, now_ms, out);
  }

 private:
  GeminiV2Parser parser_;
  V2Message msg_;
};

}  // namespace

std::unique_ptr<Feed> make_feed(const FeedOptions& options) {
  switch (options.kind) {
    case FeedKind::gemini_v1: return std::make_unique<GeminiV1Feed>(options);
    case FeedKind::gemini_v2: return std::make_unique<GeminiV2Feed>(options);
    case FeedKind::raw: return make_raw_feed();
  }
  return nullptr;
}

}  // namespace wsbook
