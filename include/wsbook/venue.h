#pragma once
// What a venue is: its name, where it lives, how its symbols look, what to send
// to subscribe and to keep the connection alive, and a parser from its frames
// to book messages. No book, no output, no I/O: the feed and the network do those.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wsbook/order_book.h"

namespace wsbook {

/// How the integrity of a venue's book is checked; each rule is shared by the venues that use it.
enum class IntegrityKind : std::uint8_t {
  connection_sequence,  ///< one counter per connection, +1 on every frame (Gemini v1, Coinbase)
  symbol_chain,         ///< each message names the id the previous one of its symbol had (OKX, Bybit)
  checksum,             ///< a CRC of the top of the book after each message (Kraken)
  none,                 ///< nothing to check: every snapshot starts afresh (Gemini v2)
  update_range,         ///< a REST snapshot bridged to [first_seq, seq] ranges, each the previous + 1 (Binance spot)
  update_range_linked,  ///< as update_range, each delta naming the previous seq (Binance futures `pu`)
};

/// One message about one symbol's book: a snapshot that replaces it, or a delta.
struct BookMessage {
  std::string_view symbol;  ///< as the venue spells it; "" on a one-symbol connection (Gemini v1)
  bool snapshot = false;    ///< replaces the whole book
  std::size_t first_change = 0, end_change = 0;  ///< the range of ParsedFrame::changes it carries
  std::optional<std::int64_t> seq;       ///< this message's id (OKX seqId, Bybit u, Binance u)
  std::optional<std::int64_t> prev_seq;  ///< the id the symbol's previous message had (OKX prevSeqId, Binance pu)
  std::optional<std::int64_t> first_seq;  ///< the first id this message covers (Binance U); seq is the last
  std::optional<std::uint32_t> checksum;  ///< the venue's CRC of the book after this message
  std::optional<std::int64_t> exchange_ms;  ///< the venue's time of the message, unix ms
  bool top_of_book = false;  ///< each side holds only its latest level (Gemini top_of_book)

  /// Field by field, texts by content.
  friend bool operator==(const BookMessage&, const BookMessage&) = default;
};

/// Something a frame says that is not a book change.
struct Notice {
  enum class Kind : std::uint8_t {
    heartbeat,   ///< the venue's keep-alive: the connection (or `symbol`) is alive
    pong,        ///< the answer to our keep-alive
    subscribed,  ///< the venue confirmed `symbol`
    rejected,    ///< the venue refused `symbol` for `text` (unknown symbol, ...)
    error,       ///< the venue reports a problem: `text`; the connection restarts after backoff
    reconnect,   ///< the venue asks us to reconnect (maintenance, shutdown)
  };
  Kind kind = Kind::heartbeat;
  std::string_view symbol;  ///< "" when the notice is about the connection
  std::string_view text;

  /// Field by field, texts by content.
  friend bool operator==(const Notice&, const Notice&) = default;
};

/// Everything one frame says, in the order the venue said it. Views point into
/// the frame or the parser: valid until the parser's next call, and only while
/// the caller keeps the frame.
struct ParsedFrame {
  std::optional<std::uint64_t> connection_seq;  ///< the frame's place on the connection (Gemini v1, Coinbase)
  std::vector<BookMessage> books;
  std::vector<BookChange> changes;  ///< every message's changes, in order
  std::vector<Notice> notices;
  /// For a malformed frame: the symbol it was about, where the frame still says
  /// so; then only that book is rebuilt, not every book on the connection.
  std::string_view malformed_symbol;

  /// Field by field, texts by content: what the differential tests compare.
  friend bool operator==(const ParsedFrame&, const ParsedFrame&) = default;

  /// Empties it for the next frame, keeping capacity.
  void clear() {
    connection_seq.reset();
    malformed_symbol = {};
    books.clear();
    changes.clear();
    notices.clear();
  }
};

/// Parses one venue's frames. Keeps what it learns along the way (Kraken's
/// precisions); one per connection.
class VenueParser {
 public:
  virtual ~VenueParser() = default;
  /// Fills `out` (cleared first) from one frame; "" or a short reason. On a
  /// reason nothing in `out` may be used: the frame is malformed as a whole.
  virtual std::string_view parse(std::string_view frame, ParsedFrame& out) = 0;
  /// The venue's checksum of `book` of `symbol` (IntegrityKind::checksum, or an
  /// OKX checksum that is not 0).
  virtual std::uint32_t checksum(std::string_view /*symbol*/, const OrderBook& /*book*/) const { return 0; }
  /// Fills `out` (cleared first) from the reply to a snapshot_url() GET of `symbol`:
  /// on success one snapshot message with `seq` the book's id; for an error reply a
  /// rejected notice (unknown symbol) or an error notice. "" or why the reply is malformed.
  virtual std::string_view parse_snapshot(int /*http_status*/, std::string_view /*body*/,
                                          std::string_view /*symbol*/, ParsedFrame& /*out*/) {
    return "this venue has no REST snapshots";
  }
};

/// How a venue whose books start from a REST snapshot (Binance) serves them, and what they cost.
struct RestSnapshots {
  std::string base_url;           ///< the default --rest-url ("https://api.binance.com")
  std::size_t levels = 0;         ///< levels per side one snapshot asks for
  unsigned weight = 0;            ///< the request weight of one snapshot of `levels`
  unsigned weight_per_minute = 0;  ///< the venue's request-weight limit per IP and minute
};

/// The app-level keep-alive a venue wants from the client.
struct KeepAlive {
  std::string frame;                     ///< text to send; "" means a WebSocket ping
  std::chrono::milliseconds interval{0};  ///< how often while the connection is up; 0: only when quiet
};

/// A venue: data plus a parser. Every member is const: one instance serves every connection.
class Venue {
 public:
  virtual ~Venue() = default;
  /// The --exchange name ("gemini", "kraken", ...).
  virtual std::string_view name() const = 0;
  /// The default WebSocket URL; `{symbol}` is replaced where a venue puts the symbol in the URL.
  virtual std::string default_url() const = 0;
  /// "" if `symbol` has the venue's form, else what the form is ("like BTC/USD").
  virtual std::string check_symbol(std::string_view symbol) const = 0;
  /// The symbol as the venue's frames spell it (case, separators), to match frames to books.
  virtual std::string wire_symbol(std::string_view symbol) const { return std::string(symbol); }
  /// Most symbols one connection may carry (1: a connection per symbol, as Gemini v1).
  virtual std::size_t symbols_per_connection() const { return 1; }
  /// The frames that subscribe `symbols` (already in wire form) at `depth` levels, in order.
  virtual std::vector<std::string> subscribe(const std::vector<std::string>& symbols, std::size_t depth) const = 0;
  /// The frames that subscribe `symbols` again after unsubscribe() (default: subscribe()),
  /// for venues whose first subscription also asks for something else (Kraken's instruments).
  virtual std::vector<std::string> resubscribe(const std::vector<std::string>& symbols, std::size_t depth) const {
    return subscribe(symbols, depth);
  }
  /// The frames that drop one symbol's subscription, so that subscribe() brings a fresh snapshot.
  /// Empty: the venue cannot resubscribe one symbol, and the connection restarts instead.
  virtual std::vector<std::string> unsubscribe(const std::vector<std::string>& /*symbols*/,
                                               std::size_t /*depth*/) const {
    return {};
  }
  /// Levels per side the venue keeps us informed of when subscribed for `depth`:
  /// the book is cut to them after each message (Kraken); 0: the venue says
  /// when a level leaves (most venues).
  virtual std::size_t kept_depth(std::size_t /*depth*/) const { return 0; }
  /// Connection attempts the venue allows per minute from one address; the crawl paces its
  /// connects (first ones and reconnects) to stay under half of it.
  virtual unsigned connects_per_minute() const { return 60; }
  /// Frames the venue takes per second from one address over all its connections (0: no such
  /// limit); the crawl sends at most half of it.
  virtual unsigned messages_per_second() const { return 0; }
  /// The least time between two frames we send on one connection (the venue's message rate).
  virtual std::chrono::milliseconds send_spacing() const { return std::chrono::milliseconds{0}; }
  /// What the client must send to keep the connection alive.
  virtual KeepAlive keep_alive() const { return {}; }
  /// Where and at what cost its books' snapshots come over REST for lines of `depth`
  /// levels; nullopt: every book starts in the stream.
  virtual std::optional<RestSnapshots> rest_snapshots(std::size_t /*depth*/) const { return std::nullopt; }
  /// The URL that GETs the snapshot of `symbol` (wire form) with `levels` levels from `base_url`.
  virtual std::string snapshot_url(std::string_view /*base_url*/, std::string_view /*symbol*/,
                                   std::size_t /*levels*/) const {
    return {};
  }
  /// How the venue's books are checked.
  virtual IntegrityKind integrity() const = 0;
  /// A new parser, for one connection.
  virtual std::unique_ptr<VenueParser> make_parser() const = 0;
};

/// Every venue wsbook speaks, by --exchange name; nullptr if unknown.
const Venue* find_venue(std::string_view name);
/// The names find_venue() knows, for usage errors and --help.
std::vector<std::string_view> venue_names();

}  // namespace wsbook
