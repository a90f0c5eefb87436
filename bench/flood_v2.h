#pragma once
// Gemini v2 for the flood server: each symbol's l2 stream (a SyntheticBook in
// v2's frames, encoded once as WebSocket frames), what one connection sends of
// them, the symbols of a subscribe frame, and the log of connects. Plain C++, no Beast.

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "flood_book.h"

namespace wsbook::bench {

/// `{"type":"heartbeat","timestamp":<unix_ms>}`.
std::string v2_heartbeat_frame(std::int64_t unix_ms);

/// The symbols of a subscribe frame, `{"type":"subscribe","subscriptions":[{"name":"l2","symbols":["BTCUSD",..]}]}`,
/// in its order; empty if the frame is not a subscribe frame.
std::vector<std::string> subscribed_symbols(std::string_view frame);

/// One symbol's l2 stream as WebSocket frames: its snapshot, then updates of 1-3 changes near the top.
class V2SymbolStream {
 public:
  /// A book of `levels` levels for `symbol` (its snapshot is encoded at once, its updates on demand).
  V2SymbolStream(std::string symbol, int levels, std::uint64_t seed);

  /// The snapshot frame: every level, best first, bids then asks, and `"trades":[],"auction_events":[]`.
  std::string_view snapshot() const { return snapshot_; }
  /// Encodes updates until at least `count` are there.
  void encode_updates(std::size_t count);
  /// How many updates are encoded.
  std::size_t updates() const { return ends_.size(); }
  /// Update frame `i` (from 0): `{"type":"l2_updates","symbol":..,"changes":[[side,price,amount],..]}`.
  std::string_view update(std::size_t i) const;

 private:
  std::string symbol_;
  SyntheticBook book_;
  std::string snapshot_;
  std::string updates_;             // every encoded update frame, back to back
  std::vector<std::size_t> ends_;   // where each one ends in updates_
};

/// Every symbol's stream, made on first use and seeded by its name, so that a symbol
/// gets the same stream on every connection.
class V2Library {
 public:
  /// Books of `levels` levels; `seed` varies all of them.
  V2Library(int levels, std::uint64_t seed) : levels_(levels), seed_(seed) {}

  /// `symbol`'s stream with at least `updates` updates encoded.
  const V2SymbolStream& stream(const std::string& symbol, std::size_t updates);
  /// How many symbols have a stream.
  std::size_t size() const { return streams_.size(); }

 private:
  int levels_;
  std::uint64_t seed_;
  std::unordered_map<std::string, std::unique_ptr<V2SymbolStream>> streams_;
};

/// What one connection sends after its subscribe frame: every symbol's snapshot, then
/// `frames` updates round-robin over the symbols, in chunks of whole frames.
class V2Flood {
 public:
  /// Each stream must have ceil(frames / streams.size()) updates encoded.
  V2Flood(std::vector<const V2SymbolStream*> streams, std::uint64_t frames);

  /// Replaces `out` with the next whole frames, `bytes` or a frame more unless the stream ends;
  /// false once everything was sent.
  bool next_chunk(std::string& out, std::size_t bytes);

 private:
  std::vector<const V2SymbolStream*> streams_;
  std::uint64_t frames_;
  std::size_t snapshots_sent_ = 0;
  std::uint64_t updates_sent_ = 0;
};

/// Appends a line per accepted connection, `<ms> connect <connection>`, and per subscribe
/// frame, `<ms> subscribe <connection> <symbols>`: ms of the steady clock, so differences are exact.
class ConnectLog {
 public:
  /// Appends to `path`; an empty path logs nothing.
  explicit ConnectLog(const std::string& path);
  /// False if `path` could not be opened.
  bool ok() const { return ok_; }
  /// A connection was accepted.
  void connect(int connection);
  /// A subscribe frame naming `symbols` symbols arrived on `connection`.
  void subscribe(int connection, std::size_t symbols);

 private:
  void line(const std::string& text);

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  bool ok_ = true;
};

}  // namespace wsbook::bench
