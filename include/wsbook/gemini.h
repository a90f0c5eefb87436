#pragma once
// Typed messages of Gemini's market-data feeds and the parsers that make them.
// Parsers are pure: a frame in, a message or a short error reason out, no I/O.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "wsbook/order_book.h"

namespace wsbook {

/// Which side a trade's maker was on.
enum class MakerSide : std::uint8_t { bid, ask, auction, unknown };

/// One trade, as both feeds report it.
struct Trade {
  std::uint64_t tid = 0;
  DecimalText price;
  DecimalText amount;
  MakerSide maker_side = MakerSide::unknown;

  /// Field by field, texts by content.
  friend bool operator==(const Trade&, const Trade&) = default;
};

/// A Gemini v1 frame (`/v1/marketdata/{symbol}`).
struct V1Frame {
  enum class Type : std::uint8_t { update, heartbeat };
  Type type = Type::heartbeat;
  std::uint64_t socket_sequence = 0;
  std::uint64_t event_id = 0;                 ///< updates only
  std::optional<std::int64_t> timestamp_ms;   ///< absent on the initial update
  bool initial = false;                       ///< carries `reason:"initial"` changes
  bool top_of_book = false;                   ///< carries `reason:"top-of-book"` changes
  std::vector<BookChange> changes;
  std::vector<Trade> trades;
  std::size_t skipped_events = 0;             ///< auction, block_trade and unknown events

  /// Field by field, texts by content.
  friend bool operator==(const V1Frame&, const V1Frame&) = default;
};

/// A Gemini v2 message (`/v2/marketdata`).
struct V2Message {
  enum class Type : std::uint8_t { l2_updates, trade, heartbeat, subscription_ack, other };
  Type type = Type::other;
  std::string_view symbol;
  bool snapshot = false;   ///< an l2_updates that is the symbol's initial book
  std::vector<BookChange> changes;
  Trade trade;             ///< type trade only
  std::optional<std::int64_t> timestamp_ms;
};

/// Parses Gemini v1 frames. Reuses its buffers: keep one per connection.
class GeminiV1Parser {
 public:
  GeminiV1Parser();
  ~GeminiV1Parser();
  /// Fills `out` from one frame; returns "" or a short reason. Text views in
  /// `out` stay valid until the next call. On error `out` must not be used.
  std::string_view parse(std::string_view frame, V1Frame& out);
  /// Like parse, without copying the frame first: text views in `out` may point
  /// into `frame`, so they are valid only while `frame` is too.
  std::string_view parse_view(std::string_view frame, V1Frame& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Parses Gemini v2 messages. Reuses its buffers: keep one per connection.
class GeminiV2Parser {
 public:
  GeminiV2Parser();
  ~GeminiV2Parser();
  /// Fills `out` from one frame; returns "" or a short reason (see GeminiV1Parser).
  std::string_view parse(std::string_view frame, V2Message& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wsbook
