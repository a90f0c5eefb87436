#pragma once
// The test exchange's own books for the venues that carry many symbols on one
// connection (Coinbase Advanced Trade, Kraken v2, OKX v5, Bybit v5, Binance:
// support/venue_book_binance.h), and one
// frame renderer per venue that speaks its protocol: snapshots, deltas,
// heartbeats, acks, its sequencing and its faults. Every state a symbol's book
// went through is remembered as the canonical line body, so a test can check
// each line wsbook wrote. Shares no code with wsbook's src/ (the CRC32 and the
// number texts are written again here): an independent implementation.

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/true_book.h"

namespace wsbook::testing {

/// One level change: side, price in cents, amount in thousandths (0 removes the level).
struct LevelChange {
  TrueSide side = TrueSide::bid;
  std::int64_t cents = 0;
  std::int64_t milli = 0;
};

/// One symbol's true book in integer ticks, and every state it was in, by epoch
/// (a new epoch per fresh book: a resubscription's snapshot, a new connection).
class SymbolTruth {
 public:
  /// `depth` levels per side in each remembered body; `kept` > 0: the venue keeps only that many (Kraken).
  SymbolTruth(std::string symbol, std::size_t depth, std::size_t kept);

  /// The symbol as the venue's frames spell it.
  const std::string& symbol() const { return symbol_; }
  /// Replaces the book with `levels` levels per side around `mid_cents`.
  void fill(std::int64_t mid_cents, int levels);
  /// Applies one change (then cuts the book to the kept depth).
  void apply(const LevelChange& change);
  /// A random change near the top that keeps the book uncrossed.
  LevelChange random_change(std::uint32_t& rng) const;
  /// A bid at the best ask: a book that takes it is crossed.
  LevelChange crossing_change() const;

  /// Records the current state in this epoch's history, unless muted.
  void remember();
  /// While muted, states are not remembered: they are ones wsbook must never write.
  void mute(bool on) { muted_ = on; }
  /// A fresh book starts: later states go to a new epoch; unmutes.
  void new_epoch();

  /// The book part of a line, `{"bids":[...],"asks":[...]`, of the current state.
  std::string body() const;
  /// Every remembered state of every epoch, in order: exactly the lines wsbook must write.
  std::vector<std::string> expected_lines() const;
  /// The remembered states of one epoch, in order.
  const std::vector<std::string>& epoch(std::size_t i) const { return epochs_.at(i); }
  /// How many epochs there were.
  std::size_t epochs() const { return epochs_.size(); }

  /// Bids, best (highest) first: cents -> thousandths.
  const std::map<std::int64_t, std::int64_t, std::greater<>>& bids() const { return bids_; }
  /// Asks, best (lowest) first: cents -> thousandths.
  const std::map<std::int64_t, std::int64_t>& asks() const { return asks_; }

 private:
  void cut();

  std::string symbol_;
  std::size_t depth_, kept_;
  bool muted_ = false;
  std::map<std::int64_t, std::int64_t, std::greater<>> bids_;
  std::map<std::int64_t, std::int64_t> asks_;
  std::vector<std::vector<std::string>> epochs_;
};

/// One venue's protocol over a book per symbol. Each frame that carries book
/// data also changes and remembers the symbol's true book.
class VenueServer {
 public:
  /// Books of `symbols` (wire form) at line depth `depth`, kept to `kept` levels if > 0.
  VenueServer(const std::vector<std::string>& symbols, std::size_t depth, std::size_t kept);
  virtual ~VenueServer() = default;
  VenueServer(const VenueServer&) = delete;
  VenueServer& operator=(const VenueServer&) = delete;

  /// The --exchange name.
  virtual std::string name() const = 0;
  /// A new connection starts: connection-wide counters start over.
  virtual void new_connection() {}
  /// What the venue answers a subscription of `symbols` with (acks, Kraken's instrument list).
  virtual std::vector<std::string> acks(const std::vector<std::string>& symbols) = 0;
  /// What the venue answers an unsubscription of `symbol` with.
  virtual std::vector<std::string> unsubscribe_acks(const std::string& symbol) = 0;
  /// The snapshot of `symbol`'s whole book; remembers it.
  virtual std::string snapshot(const std::string& symbol) = 0;
  /// A delta of `symbol` setting `changes`; applies and remembers them.
  virtual std::string delta(const std::string& symbol, const std::vector<LevelChange>& changes) = 0;
  /// The venue's keep-alive frame (or, for OKX, an idle update with seqId == prevSeqId).
  virtual std::string heartbeat() = 0;
  /// The venue's refusal of a subscription to `symbol`.
  virtual std::string reject(const std::string& symbol) = 0;
  /// The answer to a client's app-level ping `frame`; "" if it is no ping.
  virtual std::string pong(std::string_view frame) const = 0;
  /// The fault the venue's integrity rule must catch in `symbol`'s next delta: a
  /// sequence step skipped (Coinbase: on the connection; OKX, Bybit: of the
  /// symbol) or a wrong checksum (Kraken). Mutes the symbol.
  virtual void integrity_fault(const std::string& symbol) = 0;

  /// The true book of `symbol`.
  SymbolTruth& book(const std::string& symbol);
  /// Every symbol, as given.
  const std::vector<std::string>& symbols() const { return symbols_; }
  /// A delta of one random change of `symbol`.
  std::string random_delta(const std::string& symbol, std::uint32_t& rng);

 private:
  std::vector<std::string> symbols_;
  std::map<std::string, SymbolTruth> books_;
};

/// The server of venue `name` ("coinbase", "kraken", "okx", "bybit", "binance", "binance-futures"); nullptr if unknown.
std::unique_ptr<VenueServer> make_venue_server(const std::string& name, const std::vector<std::string>& symbols,
                                               std::size_t depth);

/// Coinbase Advanced Trade: `l2_data` and `heartbeats`, one sequence_num per connection from 0.
std::unique_ptr<VenueServer> make_coinbase_server(const std::vector<std::string>& symbols, std::size_t depth);
/// OKX v5 `books`: seqId/prevSeqId chained per symbol in steps of 3, snapshot prevSeqId -1;
/// checksum 0 (as since 2026-06) or, if `checksums`, the old signed CRC-32 of 25+25 interleaved levels.
std::unique_ptr<VenueServer> make_okx_server(const std::vector<std::string>& symbols, std::size_t depth,
                                             bool checksums = false);
/// Bybit v5 `orderbook.50.<symbol>`: u +1 per push of a symbol, a snapshot starts a new u.
std::unique_ptr<VenueServer> make_bybit_server(const std::vector<std::string>& symbols, std::size_t depth);
/// Kraken with or without the instrument list (without it wsbook must hash the wire text as is).
std::unique_ptr<VenueServer> make_kraken_server(const std::vector<std::string>& symbols, std::size_t depth,
                                                bool announce_precision);

/// CRC-32 (IEEE, reflected, as zlib's crc32), bit by bit: our own.
std::uint32_t test_crc32(std::string_view bytes);

/// Kraken's checksum text of a book: the 10 best asks (low first), then the 10
/// best bids (high first), price and qty at the given precisions (decimals),
/// '.' and leading zeros removed. A precision of -1: the minimal text as it went out.
std::string kraken_checksum_text(const SymbolTruth& book, int price_precision, int qty_precision);

/// `value` / 10^scale written with exactly `decimals` decimals (at least scale): 650050, 2, 3 -> "6500.500".
std::string fixed_decimals(std::int64_t value, int scale, int decimals);

/// A line split into its symbol and its book part (`{"bids":...`, without ts):
/// a line of two symbols in one stream starts `{"exchange":"<exchange>","symbol":"<s>",`;
/// a line without that tag gives symbol "". Symbol "?" if the tag is malformed.
std::pair<std::string, std::string> split_tagged(const std::string& line, const std::string& exchange);

/// The book parts of the lines of `symbol` ("" for untagged lines), in order.
std::vector<std::string> lines_of(const std::vector<std::string>& lines, const std::string& exchange,
                                  const std::string& symbol);

/// "" if `actual` equals `expected` line by line, else where and how they differ first.
std::string diff_lines(const std::vector<std::string>& actual, const std::vector<std::string>& expected);

}  // namespace wsbook::testing
