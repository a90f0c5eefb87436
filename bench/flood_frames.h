#pragma once
// A synthetic but realistic Gemini v1 stream for the end-to-end benchmark: an
// initial book around 6500.00, then updates near the top that keep it uncrossed.
// Plain C++, no Beast: the flood server encodes it once, before accepting.

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <string_view>

namespace wsbook::bench {

/// Appends one unmasked, unfragmented server text frame (RFC 6455) carrying `payload`.
void append_ws_text_frame(std::string_view payload, std::string& out);

/// Appends an unmasked close frame with `code` (1000: normal) and no reason.
void append_ws_close_frame(std::uint16_t code, std::string& out);

/// `{"type":"heartbeat","socket_sequence":<seq>}`.
std::string heartbeat_frame(std::uint64_t seq);

/// A BTCUSD-like book that emits Gemini v1 frames: prices in cents (2 decimals),
/// amounts in 1e-8 units (up to 8 decimals).
class FloodBook {
 public:
  /// A book of `levels` levels, half per side, around 6500.00; deterministic per seed.
  FloodBook(int levels, std::uint64_t seed);

  /// The initial frame: socket_sequence 0, one `reason:"initial"` change per level.
  std::string initial_frame();
  /// The next update frame: 1-3 changes (places, cancels, trades) near the top.
  std::string update_frame(std::uint64_t seq);

 private:
  using Bids = std::map<std::int64_t, std::int64_t, std::greater<>>;
  using Asks = std::map<std::int64_t, std::int64_t, std::less<>>;

  void place(bool bid);
  void cancel(bool bid);
  void trade(bool maker_bid);
  void set_level(bool bid, std::int64_t price, std::int64_t amount, const char* reason);
  std::int64_t random_amount();
  std::int64_t near_top_price(bool bid);
  std::string header(std::uint64_t seq, bool with_time);

  Bids bids_;
  Asks asks_;
  std::mt19937_64 rng_;
  std::size_t depth_;    // levels per side at the start
  std::string events_;  // the current frame's events, comma-separated
  std::uint64_t event_id_ = 4568099292;
  std::int64_t time_ms_ = 1537974017597;
};

/// The whole wire stream of one connection: initial frame + `updates` update
/// frames (socket_sequence 1..updates), each already a WebSocket frame.
std::string build_flood(int levels, std::uint64_t updates, std::uint64_t seed);

}  // namespace wsbook::bench
