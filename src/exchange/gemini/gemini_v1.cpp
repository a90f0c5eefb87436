#include "exchange/gemini/gemini_v1_fast.h"
#include "json/reader.h"
#include "wsbook/gemini.h"

namespace wsbook {
namespace {

using json::od::object;
using json::od::value;

std::string_view read_event_fields(object obj, V1RawEvent& e) {
  for (auto field : obj) {
    json::od::raw_json_string key;
    if (field.key().get(key) != simdjson::SUCCESS) return "malformed event";
    value v = field.value();
    std::string_view err;
    if (key == "type") err = json::read_string(v, e.type);
    else if (key == "side") err = json::read_string(v, e.side);
    else if (key == "reason") err = json::read_string(v, e.reason);
    else if (key == "makerSide") err = json::read_string(v, e.maker_side);
    else if (key == "price") e.price_err = json::read_decimal_string(v, e.price, "price");
    else if (key == "remaining") e.remaining_err = json::read_decimal_string(v, e.remaining, "remaining");
    else if (key == "amount") e.amount_err = json::read_decimal_string(v, e.amount, "amount");
    else if (key == "tid") { err = json::read_uint(v, e.tid); e.has_tid = true; }
    if (!err.empty()) return err;
  }
  return {};
}

std::string_view add_change(const V1RawEvent& e, V1Frame& out) {
  BookChange c;
  if (e.side == "bid") c.side = Side::bid;
  else if (e.side == "ask") c.side = Side::ask;
  else return e.side.empty() ? "change without side" : "unknown side";
  if (!e.price_err.empty()) return e.price_err;
  if (!e.remaining_err.empty()) return e.remaining_err;
  c.price = e.price;
  c.amount = e.remaining;
  note_v1_reason(e.reason, out);
  out.changes.push_back(c);
  return {};
}

std::string_view add_trade(const V1RawEvent& e, V1Frame& out) {
  if (!e.price_err.empty()) return e.price_err;
  if (!e.amount_err.empty()) return e.amount_err;
  if (!e.has_tid) return "trade without tid";
  out.trades.push_back(Trade{e.tid, e.price, e.amount, v1_maker_side(e.maker_side)});
  return {};
}

std::string_view read_event(value v, V1Frame& out) {
  object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return "event is not an object";
  V1RawEvent e;
  if (auto err = read_event_fields(obj, e); !err.empty()) return err;
  return add_v1_event(e, out);
}

std::string_view read_events(value v, V1Frame& out) {
  json::od::array events;
  if (v.get_array().get(events) != simdjson::SUCCESS) return "events is not an array";
  for (auto item : events) {
    value ev;
    if (item.get(ev) != simdjson::SUCCESS) return "malformed events";
    if (auto err = read_event(ev, out); !err.empty()) return err;
  }
  return {};
}

struct Seen {
  bool type = false, sequence = false, event_id = false, events = false;
};

std::string_view read_top_field(json::od::field& field, V1Frame& out, Seen& seen) {
  json::od::raw_json_string key = field.key();
  value v = field.value();
  if (key == "type") {
    std::string_view type;
    if (auto err = json::read_string(v, type); !err.empty()) return err;
    if (type == "update") out.type = V1Frame::Type::update;
    else if (type == "heartbeat") out.type = V1Frame::Type::heartbeat;
    else return "unknown frame type";
    seen.type = true;
  } else if (key == "socket_sequence") {
    seen.sequence = true;
    return json::read_uint(v, out.socket_sequence);
  } else if (key == "eventId") {
    seen.event_id = true;
    return json::read_uint(v, out.event_id);
  } else if (key == "timestampms") {
    std::int64_t ms = 0;
    if (v.get_int64().get(ms) != simdjson::SUCCESS) return "timestampms is not an integer";
    out.timestamp_ms = ms;
  } else if (key == "events") {
    seen.events = true;
    return read_events(v, out);
  }
  return {};
}

}  // namespace

void note_v1_reason(std::string_view reason, V1Frame& out) {
  if (reason == "initial") out.initial = true;
  if (reason == "top-of-book") out.top_of_book = true;
}

MakerSide v1_maker_side(std::string_view s) {
  if (s == "bid") return MakerSide::bid;
  if (s == "ask") return MakerSide::ask;
  if (s == "auction") return MakerSide::auction;
  return MakerSide::unknown;
}

std::string_view add_v1_event(const V1RawEvent& e, V1Frame& out) {
  if (e.type == "change") return add_change(e, out);
  if (e.type == "trade") return add_trade(e, out);
  if (e.type.empty()) return "event without type";
  ++out.skipped_events;  // auctions, block trades, and whatever Gemini adds next
  return {};
}

void reset_v1_frame(V1Frame& out) {
  out.type = V1Frame::Type::heartbeat;
  out.socket_sequence = out.event_id = 0;
  out.timestamp_ms.reset();
  out.initial = out.top_of_book = false;
  out.changes.clear();
  out.trades.clear();
  out.skipped_events = 0;
}

GeminiV1GeneralParser::GeminiV1GeneralParser() : reader_(std::make_unique<json::Reader>()) {}
GeminiV1GeneralParser::~GeminiV1GeneralParser() = default;

std::string_view GeminiV1GeneralParser::parse(std::string_view frame, V1Frame& out) {
  reset_v1_frame(out);
  Seen seen;
  const auto on_field = [&](json::od::field& field) { return read_top_field(field, out, seen); };
  if (auto err = json::read_object(*reader_, frame, on_field); !err.empty()) return err;
  if (!seen.type) return "missing type";
  if (!seen.sequence) return "missing socket_sequence";
  if (out.type == V1Frame::Type::update && !seen.events) return "update without events";
  if (out.type == V1Frame::Type::update && !seen.event_id) return "update without eventId";
  return {};
}

struct GeminiV1Parser::Impl {
  std::string frame;  // the fast path's text views point here, valid until the next call
  GeminiV1GeneralParser general;
};

GeminiV1Parser::GeminiV1Parser() : impl_(std::make_unique<Impl>()) {}
GeminiV1Parser::~GeminiV1Parser() = default;

std::string_view GeminiV1Parser::parse(std::string_view frame, V1Frame& out) {
  impl_->frame.assign(frame);
  return parse_view(impl_->frame, out);
}

std::string_view GeminiV1Parser::parse_view(std::string_view frame, V1Frame& out) {
  // Gemini's own layout the shortest way, the common shapes the fast way;
  // anything else, valid or not, the general way, which gives every error reason.
  if (parse_v1_shape(frame, out) || parse_v1_fast(frame, out)) return {};
  return impl_->general.parse(frame, out);
}

}  // namespace wsbook
