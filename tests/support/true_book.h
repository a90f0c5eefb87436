#pragma once
// The test exchange's own book: it makes the Gemini v1 frames that describe
// it and remembers every state it went through, so a test can check that each
// line the crawler wrote equals the exchange's true book at some moment.
// Shares no code with wsbook's book or parsers.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace wsbook::testing {

/// One side of a level change: bid or ask.
enum class TrueSide { bid, ask };

/// An exchange book in integer ticks (price in cents, amount in thousandths).
class TrueBook {
 public:
  /// `depth` levels per side are rendered in each remembered state.
  explicit TrueBook(std::size_t depth = 10) : depth_(depth) {}

  /// Fills the book with `levels` levels per side around `mid` cents (replacing it).
  void fill(std::int64_t mid_cents, int levels);
  /// The seq-0 frame of a new connection holding the whole book; resets the sequence.
  std::string initial_frame();
  /// The next update frame setting one level (amount 0 removes it).
  std::string update_frame(TrueSide side, std::int64_t cents, std::int64_t milli_amount);
  /// A random update near the top of the book that keeps it uncrossed.
  std::string random_update(std::uint32_t& rng_state);
  /// The next heartbeat frame.
  std::string heartbeat();
  /// Makes the next frame skip one socket_sequence number (a lost frame).
  void skip_sequence() { ++next_seq_; }

  /// The book part of a line, `{"bids":[...],"asks":[...]`, of the current state.
  std::string body() const;
  /// Every state the book was in when a frame was made from it.
  const std::set<std::string>& truths() const { return truths_; }
  /// Every state in order, one per frame that changed the book (initial included).
  const std::vector<std::string>& history() const { return history_; }
  /// Levels on each side now.
  std::size_t size() const { return bids_.size() + asks_.size(); }

  /// Formats cents as the canonical decimal text ("6500.5", "6500").
  static std::string price_text(std::int64_t cents);
  /// Formats thousandths as canonical decimal text ("0.125", "2").
  static std::string amount_text(std::int64_t milli);

 private:
  std::string next_seq_field();
  void remember() {
    truths_.insert(body());
    history_.push_back(body());
  }

  std::size_t depth_;
  std::map<std::int64_t, std::int64_t, std::greater<>> bids_;
  std::map<std::int64_t, std::int64_t> asks_;
  std::uint64_t next_seq_ = 0;
  std::uint64_t event_id_ = 1000;
  std::set<std::string> truths_;
  std::vector<std::string> history_;
};

/// `[[price,amount],...]` of the first `depth` levels of a side kept as cents -> thousandths, in its order.
template <class Map>
std::string side_json(const Map& side, std::size_t depth) {
  std::string out = "[";
  std::size_t n = 0;
  for (const auto& [cents, milli] : side) {
    if (n++ == depth) break;
    out += n > 1 ? ",[" : "[";
    out += TrueBook::price_text(cents);
    out += ',';
    out += TrueBook::amount_text(milli);
    out += ']';
  }
  return out + "]";
}

/// Splits text into its `\n`-terminated lines (a trailing partial line is returned too).
std::vector<std::string> split_lines(const std::string& text);

/// The book part of a snapshot line: everything before `,"ts":`.
std::string line_body(const std::string& line);

}  // namespace wsbook::testing
