#pragma once
// A synthetic but realistic Gemini v1 stream for the end-to-end benchmark: the
// SyntheticBook of bench/flood_book.h in Gemini v1's frames, and the WebSocket
// framing every stream shares. Plain C++, no Beast: the flood server encodes it
// once, before accepting.

#include <cstdint>
#include <string>
#include <string_view>

#include "flood_book.h"

namespace wsbook::bench {

/// Appends the header of an unmasked, unfragmented server text frame (RFC 6455) of `size` bytes.
void append_ws_text_header(std::uint64_t size, std::string& out);

/// Appends one unmasked, unfragmented server text frame (RFC 6455) carrying `payload`.
void append_ws_text_frame(std::string_view payload, std::string& out);

/// Appends an unmasked close frame with `code` (1000: normal) and no reason.
void append_ws_close_frame(std::uint16_t code, std::string& out);

/// `{"type":"heartbeat","socket_sequence":<seq>}`.
std::string heartbeat_frame(std::uint64_t seq);

/// Gemini v1 frames of a SyntheticBook: prices in cents (2 decimals), amounts in
/// 1e-8 units (up to 8 decimals).
class FloodBook {
 public:
  /// A book of `levels` levels, half per side, around 6500.00; deterministic per seed.
  FloodBook(int levels, std::uint64_t seed);

  /// The initial frame: socket_sequence 0, one `reason:"initial"` change per level.
  std::string initial_frame();
  /// The next update frame: 1-3 changes (places, cancels, trades) near the top.
  std::string update_frame(std::uint64_t seq);

 private:
  std::string header(std::uint64_t seq, bool with_time);

  SyntheticBook book_;
  std::string events_;  // the current frame's events, comma-separated
  std::uint64_t event_id_ = 4568099292;
  std::int64_t time_ms_ = 1537974017597;
};

/// The whole wire stream of one connection: initial frame + `updates` update
/// frames (socket_sequence 1..updates), each already a WebSocket frame.
std::string build_flood(int levels, std::uint64_t updates, std::uint64_t seed);

}  // namespace wsbook::bench
