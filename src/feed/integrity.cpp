#include "feed/integrity.h"

namespace wsbook {
namespace {

Verdict restart(std::string reason) { return {Verdict::Kind::restart_connection, std::move(reason)}; }
Verdict resync(std::string reason) { return {Verdict::Kind::resync_symbol, std::move(reason)}; }

// One counter per connection, +1 on every frame, heartbeats included (Gemini
// v1 socket_sequence from 0, Coinbase sequence_num): a gap or a repeat loses
// something of every book on the connection.
class ConnectionSequence final : public IntegrityRule {
 public:
  void reset() override { next_ = 0; }
  Verdict check_frame(const ParsedFrame& frame) override {
    if (!frame.connection_seq) return {};
    const std::uint64_t seq = *frame.connection_seq;
    if (seq != next_) {
      return restart("sequence gap: expected " + std::to_string(next_) + ", got " + std::to_string(seq));
    }
    ++next_;
    return {};
  }
 private:
  std::uint64_t next_ = 0;  // both venues start every connection at 0
};

// Each delta names the id of the symbol's previous message (OKX prevSeqId; Bybit
// u - 1): the book is trusted only while the chain holds. An OKX checksum that
// is not 0 is verified as well (0 has meant "no checksum" since 2026-06).
class SymbolChain final : public IntegrityRule {
 public:
  Verdict check_message(const BookMessage& msg, const ChainState& state) override {
    if (msg.snapshot) return {};
    if (!msg.prev_seq) return resync("update without a previous id");
    if (!state.last_seq) return resync("update before any id");
    if (*msg.prev_seq != *state.last_seq) {
      return resync("sequence gap: expected previous id " + std::to_string(*state.last_seq) + ", got " +
                    std::to_string(*msg.prev_seq));
    }
    return {};
  }
  bool verifies_checksum(const BookMessage& msg) const override { return msg.checksum && *msg.checksum != 0; }
};

// A CRC of the top of the book after every message, snapshots included (Kraken).
class Checksum final : public IntegrityRule {
 public:
  Verdict check_message(const BookMessage& msg, const ChainState&) override {
    if (!msg.checksum) return resync("message without a checksum");
    return {};
  }
  bool verifies_checksum(const BookMessage&) const override { return true; }
};

// A book from a REST snapshot, then updates each covering ids [first_seq, seq]
// (Binance U and u). As Binance documents it: what the snapshot holds is
// dropped, the first update kept straddles the snapshot's id, and each next one
// starts where the last ended (spot: U == last u + 1; futures, `linked`:
// pu == last u).
class UpdateRange final : public IntegrityRule {
 public:
  explicit UpdateRange(bool linked) : linked_(linked) {}
  Verdict check_message(const BookMessage& msg, const ChainState& state) override {
    if (msg.snapshot) return {};
    if (!msg.seq || !msg.first_seq || (linked_ && !msg.prev_seq)) return resync("update without its ids");
    if (!state.last_seq) return resync("update before any id");
    const std::int64_t last = *state.last_seq;
    if (state.from_snapshot) return bridge(msg, last);
    if (linked_ && *msg.prev_seq != last) {
      return resync("sequence gap: expected pu " + std::to_string(last) + ", got " + std::to_string(*msg.prev_seq));
    }
    // Ids are non-negative: first_seq - 1 cannot overflow where last + 1 could.
    if (!linked_ && *msg.first_seq - 1 != last) {
      return resync("sequence gap: expected U just after " + std::to_string(last) + ", got " +
                    std::to_string(*msg.first_seq));
    }
    return {};
  }

 private:
  Verdict bridge(const BookMessage& msg, std::int64_t id) const {
    // Futures' docs keep the update that ends at the id; the snapshot holds it
    // already, so it is dropped, and the next may name it as its pu instead.
    if (*msg.seq <= id) return {Verdict::Kind::skip, {}};
    const bool follows = linked_ && *msg.prev_seq == id;
    if (!follows && *msg.first_seq - (linked_ ? 0 : 1) > id) {
      return resync("sequence gap: the snapshot's id is " + std::to_string(id) + ", the first update after it has U " +
                    std::to_string(*msg.first_seq));
    }
    return {};
  }
  bool linked_;
};

// Nothing to check (Gemini v2): every snapshot starts the book afresh.
class NoCheck final : public IntegrityRule {};

}  // namespace

std::unique_ptr<IntegrityRule> make_integrity_rule(IntegrityKind kind) {
  switch (kind) {
    case IntegrityKind::connection_sequence: return std::make_unique<ConnectionSequence>();
    case IntegrityKind::symbol_chain: return std::make_unique<SymbolChain>();
    case IntegrityKind::checksum: return std::make_unique<Checksum>();
    case IntegrityKind::none: return std::make_unique<NoCheck>();
    case IntegrityKind::update_range: return std::make_unique<UpdateRange>(false);
    case IntegrityKind::update_range_linked: return std::make_unique<UpdateRange>(true);
  }
  return std::make_unique<NoCheck>();
}

}  // namespace wsbook
