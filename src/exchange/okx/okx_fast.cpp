// OKX's fast path: `books` frames in the layout OKX sends, read with a cursor
// instead of simdjson. Anything else, valid or not, goes the general way.
#include <limits>

#include "exchange/okx/okx.h"
#include "json/fast_fields.h"

namespace wsbook {
namespace {

using fast::Cursor;

bool read_checksum(Cursor& c, std::optional<std::uint32_t>& out) {
  std::int64_t crc = 0;
  if (!fast::int64(c, crc) || crc < std::numeric_limits<std::int32_t>::min() ||
      crc > std::numeric_limits<std::int32_t>::max()) {
    return false;
  }
  out = static_cast<std::uint32_t>(static_cast<std::int32_t>(crc));
  return true;
}

// The key of the next field, as an index into the switch below; -1 for any other.
int next_key(Cursor& c) {
  c.skip_space();
  if (c.literal(R"("asks":)")) return 0;
  if (c.literal(R"("bids":)")) return 1;
  if (c.literal(R"("ts":)")) return 2;
  if (c.literal(R"("checksum":)")) return 3;
  if (c.literal(R"("seqId":)")) return 4;
  if (c.literal(R"("prevSeqId":)")) return 5;
  return -1;
}

// Each field at most once: a repeated one is odd enough for the general path.
bool read_element_field(Cursor& c, BookMessage& m, unsigned& seen, ParsedFrame& out) {
  const int k = next_key(c);
  if (k < 0 || (seen & (1u << k)) != 0) return false;
  seen |= 1u << k;
  std::int64_t n = 0;
  switch (k) {
    case 0: return fast::string_levels(c, Side::ask, 4, out.changes);
    case 1: return fast::string_levels(c, Side::bid, 4, out.changes);
    case 2: return fast::digit_string(c, n) && (m.exchange_ms = n, true);
    case 3: return read_checksum(c, m.checksum);
    case 4: return fast::int64(c, n) && (m.seq = n, true);
    default: return fast::int64(c, n) && (m.prev_seq = n, true);
  }
}

// One `{"asks":[...],"bids":[...],"ts":"...","checksum":N,"seqId":N,"prevSeqId":N}`.
bool read_element(Cursor& c, std::string_view inst_id, bool snapshot, ParsedFrame& out) {
  BookMessage& m = out.books.emplace_back();
  m.symbol = inst_id;
  m.snapshot = snapshot;
  m.first_change = out.changes.size();
  unsigned seen = 0;
  if (!c.expect('{')) return false;
  do {
    if (!read_element_field(c, m, seen, out)) return false;
  } while (c.expect(','));
  m.end_change = out.changes.size();
  return (seen & 3u) == 3u && c.expect('}');
}

}  // namespace

// Flattened so that the cursor stays in registers, as in Gemini's fast path.
[[gnu::flatten]] bool parse_okx_fast(std::string_view frame, ParsedFrame& out) {
  out.clear();
  Cursor c{frame.data(), frame.data() + frame.size()};
  std::string_view inst_id;
  bool snapshot = false;
  if (!c.literal(R"({"arg":{"channel":"books","instId":)") || !c.string(inst_id) || inst_id.empty() ||
      !c.literal(R"(},"action":)") || !fast::update_or_snapshot(c, snapshot) || !c.literal(R"(,"data":[)")) {
    return false;
  }
  do {
    if (!read_element(c, inst_id, snapshot, out)) return false;
  } while (c.expect(','));
  return c.expect(']') && c.expect('}') && c.at_end();
}

}  // namespace wsbook
