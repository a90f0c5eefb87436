#include "exchange/gemini/gemini_v1_fast.h"
#include "json/cursor.h"

namespace wsbook {
namespace {

using fast::Cursor;

// Each step reads one value and the literal text up to the next one: a frame
// in Gemini's own layout is a few word compares between its values.
bool read_side(Cursor& c, Side& side) {
  if (c.literal(R"("bid")")) side = Side::bid;
  else if (c.literal(R"("ask")")) side = Side::ask;
  else return false;
  return true;
}

bool read_reason(Cursor& c, V1Frame& out) {
  std::string_view reason;
  if (!c.string(reason)) return false;
  note_v1_reason(reason, out);
  return true;
}

bool read_maker_side(Cursor& c, MakerSide& side) {
  std::string_view text;
  if (!c.string(text)) return false;
  side = v1_maker_side(text);
  return true;
}

bool read_decimal(Cursor& c, DecimalText& out) {
  std::string_view err;
  return c.decimal(out, err);
}

// `"side":"bid","price":"D","remaining":"D"[,"delta":"S"],"reason":"R"}`, after `{"type":"change",`.
bool read_change(Cursor& c, V1Frame& out) {
  BookChange& change = out.changes.emplace_back();
  std::string_view delta;
  return c.literal(R"("side":)") && read_side(c, change.side) && c.literal(R"(,"price":)") &&
         read_decimal(c, change.price) && c.literal(R"(,"remaining":)") && read_decimal(c, change.amount) &&
         (!c.literal(R"(,"delta":)") || c.string(delta)) && c.literal(R"(,"reason":)") && read_reason(c, out) &&
         c.literal("}");
}

// `"tid":N,"price":"D","amount":"D","makerSide":"S"}`, after `{"type":"trade",`.
bool read_trade(Cursor& c, V1Frame& out) {
  Trade& trade = out.trades.emplace_back();
  return c.literal(R"("tid":)") && c.uint(trade.tid) && c.literal(R"(,"price":)") && read_decimal(c, trade.price) &&
         c.literal(R"(,"amount":)") && read_decimal(c, trade.amount) && c.literal(R"(,"makerSide":)") &&
         read_maker_side(c, trade.maker_side) && c.literal("}");
}

bool read_events(Cursor& c, V1Frame& out) {
  if (c.literal("]")) return true;
  do {
    if (c.literal(R"({"type":"change",)")) {
      if (!read_change(c, out)) return false;
    } else if (!c.literal(R"({"type":"trade",)") || !read_trade(c, out)) {
      return false;
    }
  } while (c.literal(","));
  return c.literal("]");
}

// `[,"timestamp":N,"timestampms":N]`: the initial update has none.
bool read_timestamps(Cursor& c, V1Frame& out) {
  std::uint64_t seconds = 0;
  if (!c.literal(R"(,"timestamp":)")) return true;
  return c.uint(seconds) && c.literal(R"(,"timestampms":)") && fast::read_timestamp(c, out);
}

// `"eventId":N[,timestamps],"socket_sequence":N,"events":[...]}`, after `{"type":"update",`.
bool read_update(Cursor& c, V1Frame& out) {
  out.type = V1Frame::Type::update;
  return c.literal(R"("eventId":)") && c.uint(out.event_id) && read_timestamps(c, out) &&
         c.literal(R"(,"socket_sequence":)") && c.uint(out.socket_sequence) && c.literal(R"(,"events":[)") &&
         read_events(c, out) && c.literal("}");
}

}  // namespace

// Flattened for the same reason as parse_v1_fast: the cursor stays in registers.
[[gnu::flatten]] bool parse_v1_shape(std::string_view frame, V1Frame& out) {
  reset_v1_frame(out);
  Cursor c{frame.data(), frame.data() + frame.size()};
  bool ok = false;
  if (c.literal(R"({"type":"update",)")) {
    ok = read_update(c, out);
  } else if (c.literal(R"({"type":"heartbeat","socket_sequence":)")) {
    ok = c.uint(out.socket_sequence) && c.literal("}");
  }
  return ok && c.p == c.end;
}

}  // namespace wsbook
