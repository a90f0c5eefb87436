#pragma once
// Internal: the integrity rules, each shared by the venues that name it
// (Venue::integrity()). A rule only judges; the feed applies, writes, resyncs.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "wsbook/venue.h"

namespace wsbook {

/// What a rule says of a frame or a book message.
struct Verdict {
  enum class Kind : std::uint8_t {
    apply,               ///< go on
    skip,                ///< not for this book (already in it): drop it, the book stays trusted
    resync_symbol,       ///< this symbol's book cannot be vouched for: rebuild it
    restart_connection,  ///< no book on this connection can be vouched for
  };
  Kind kind = Kind::apply;
  std::string reason;  ///< for resync_symbol and restart_connection: what to log
  bool ok() const { return kind == Kind::apply; }
};

/// One symbol's place in its venue's sequence: what the rule remembers of it.
struct ChainState {
  std::optional<std::int64_t> last_seq;  ///< id of the last message applied
  bool from_snapshot = false;            ///< that message was the snapshot: the next one must bridge it
};

/// Judges frames and book messages for one connection.
class IntegrityRule {
 public:
  virtual ~IntegrityRule() = default;
  /// A new connection: every counter starts over.
  virtual void reset() {}
  /// The frame as a whole, before any of its messages is applied.
  virtual Verdict check_frame(const ParsedFrame&) { return {}; }
  /// A message about to be applied: a snapshot, or a delta to a trusted book.
  virtual Verdict check_message(const BookMessage&, const ChainState&) { return {}; }
  /// Whether the book after `msg` must equal msg.checksum (the feed computes and compares).
  virtual bool verifies_checksum(const BookMessage&) const { return false; }
};

/// The rule `kind` names.
std::unique_ptr<IntegrityRule> make_integrity_rule(IntegrityKind kind);

}  // namespace wsbook
