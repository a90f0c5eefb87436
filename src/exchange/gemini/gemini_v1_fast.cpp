#include "exchange/gemini/gemini_v1_fast.h"

#include "json/cursor.h"

namespace wsbook {
namespace {

using fast::Cursor;
using fast::read_timestamp;

// The keys the fast path reads, one bit each.
enum Key : unsigned {
  kType = 1u << 0, kSide = 1u << 1, kReason = 1u << 2, kMakerSide = 1u << 3,
  kPrice = 1u << 4, kRemaining = 1u << 5, kAmount = 1u << 6, kTid = 1u << 7,
  kSequence = 1u << 8, kEventId = 1u << 9, kTimestamp = 1u << 10, kEvents = 1u << 11,
};

bool has(unsigned seen, unsigned keys) { return (seen & keys) == keys; }

// Reads a non-empty `{"key":value,...}`, calling read_field() at each key.
template <class ReadField>
bool read_object(Cursor& c, ReadField&& read_field) {
  if (!c.expect('{')) return false;
  do {
    if (!read_field()) return false;
  } while (c.expect(','));
  return c.expect('}');
}

// A key the fast path does not read, and its value. Its colon must follow right
// away: a known key with a space before its colon missed its literal compare.
bool skip_field(Cursor& c) {
  std::string_view name;
  return c.string(name) && c.literal(":") && c.skip_value();
}

// A key may come once: with a repeated one the general path would read both.
bool first_time(unsigned& seen, Key key) {
  if (seen & key) return false;
  seen |= key;
  return true;
}

// Changes and trades only: auctions and the like are rare enough for the general path.
bool read_event_type(Cursor& c, std::string_view& type) {
  c.skip_space();
  if (c.literal("\"change\"")) type = "change";
  else if (c.literal("\"trade\"")) type = "trade";
  else return false;
  return true;
}

// Keys are told apart by their first letter and one compare each, with quotes and
// colon: scanning them and then looking them up was a third of the parse.
bool read_event_field(Cursor& c, V1RawEvent& e, unsigned& seen) {
  c.skip_space();
  switch (c.peek(1)) {
    case 't':
      if (c.literal("\"type\":")) return first_time(seen, kType) && read_event_type(c, e.type);
      if (c.literal("\"tid\":")) return first_time(seen, kTid) && c.uint(e.tid);
      break;
    case 's':
      if (c.literal("\"side\":")) return first_time(seen, kSide) && c.string(e.side);
      break;
    case 'p':
      if (c.literal("\"price\":")) return first_time(seen, kPrice) && c.decimal(e.price, e.price_err);
      break;
    case 'r':
      if (c.literal("\"remaining\":")) return first_time(seen, kRemaining) && c.decimal(e.remaining, e.remaining_err);
      if (c.literal("\"reason\":")) return first_time(seen, kReason) && c.string(e.reason);
      break;
    case 'd':
      if (c.literal("\"delta\":")) return c.skip_value();
      break;
    case 'a':
      if (c.literal("\"amount\":")) return first_time(seen, kAmount) && c.decimal(e.amount, e.amount_err);
      break;
    case 'm':
      if (c.literal("\"makerSide\":")) return first_time(seen, kMakerSide) && c.string(e.maker_side);
      break;
  }
  return skip_field(c);
}

bool read_event(Cursor& c, V1Frame& out) {
  V1RawEvent e;
  unsigned seen = 0;
  if (!read_object(c, [&] { return read_event_field(c, e, seen); })) return false;
  e.has_tid = (seen & kTid) != 0;
  return add_v1_event(e, out).empty();
}

bool read_events(Cursor& c, V1Frame& out) {
  if (!c.expect('[')) return false;
  if (c.expect(']')) return true;
  do {
    if (!read_event(c, out)) return false;
  } while (c.expect(','));
  return c.expect(']');
}

bool read_frame_type(Cursor& c, V1Frame::Type& type) {
  c.skip_space();
  if (c.literal("\"update\"")) type = V1Frame::Type::update;
  else if (c.literal("\"heartbeat\"")) type = V1Frame::Type::heartbeat;
  else return false;
  return true;
}

bool read_top_field(Cursor& c, V1Frame& out, unsigned& seen) {
  c.skip_space();
  switch (c.peek(1)) {
    case 't':
      if (c.literal("\"type\":")) return first_time(seen, kType) && read_frame_type(c, out.type);
      if (c.literal("\"timestamp\":")) return c.skip_value();
      if (c.literal("\"timestampms\":")) return first_time(seen, kTimestamp) && read_timestamp(c, out);
      break;
    case 'e':
      if (c.literal("\"eventId\":")) return first_time(seen, kEventId) && c.uint(out.event_id);
      if (c.literal("\"events\":")) return first_time(seen, kEvents) && read_events(c, out);
      break;
    case 's':
      if (c.literal("\"socket_sequence\":")) return first_time(seen, kSequence) && c.uint(out.socket_sequence);
      break;
  }
  return skip_field(c);
}

}  // namespace

// Flattened, so the cursor lives in registers: passed by reference to a call, it
// lives in memory, and each token waits on a store and a load (a third slower).
[[gnu::flatten]] bool parse_v1_fast(std::string_view frame, V1Frame& out) {
  reset_v1_frame(out);
  Cursor c{frame.data(), frame.data() + frame.size()};
  unsigned seen = 0;
  if (!read_object(c, [&] { return read_top_field(c, out, seen); }) || !c.at_end()) return false;
  return has(seen, kType | kSequence) && (out.type == V1Frame::Type::heartbeat || has(seen, kEventId | kEvents));
}

}  // namespace wsbook
