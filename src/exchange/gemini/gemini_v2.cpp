#include "json/reader.h"
#include "wsbook/gemini.h"

namespace wsbook {
namespace {

using json::od::array;
using json::od::value;

std::string_view read_side(value v, Side& side) {
  std::string_view s;
  if (auto err = json::read_string(v, s); !err.empty()) return err;
  if (s == "buy") side = Side::bid;
  else if (s == "sell") side = Side::ask;
  else return "unknown side";
  return {};
}

// One ["buy","9160.20","0.19"] triple.
std::string_view read_change(value v, BookChange& c) {
  array triple;
  if (v.get_array().get(triple) != simdjson::SUCCESS) return "change is not an array";
  std::size_t n = 0;
  for (auto item : triple) {
    value field;
    if (std::move(item).get(field) != simdjson::SUCCESS) return "malformed change";
    std::string_view err = "change has more than 3 fields";
    if (n == 0) err = read_side(field, c.side);
    else if (n == 1) err = json::read_decimal_string(field, c.price, "change price");
    else if (n == 2) err = json::read_decimal_string(field, c.amount, "change quantity");
    if (!err.empty()) return err;
    ++n;
  }
  return n == 3 ? std::string_view{} : "change has fewer than 3 fields";
}

std::string_view read_changes(value v, std::vector<BookChange>& out) {
  array changes;
  if (v.get_array().get(changes) != simdjson::SUCCESS) return "changes is not an array";
  for (auto item : changes) {
    value change;
    if (item.get(change) != simdjson::SUCCESS) return "malformed changes";
    BookChange c;
    if (auto err = read_change(change, c); !err.empty()) return err;
    out.push_back(c);
  }
  return {};
}

MakerSide taker_to_maker(std::string_view taker) {
  if (taker == "buy") return MakerSide::ask;
  if (taker == "sell") return MakerSide::bid;
  return MakerSide::unknown;
}

struct Seen {
  bool type = false, changes = false, price = false, quantity = false;
};

std::string_view read_type(value v, V2Message& out) {
  std::string_view type;
  if (auto err = json::read_string(v, type); !err.empty()) return err;
  if (type == "l2_updates") out.type = V2Message::Type::l2_updates;
  else if (type == "trade") out.type = V2Message::Type::trade;
  else if (type == "heartbeat") out.type = V2Message::Type::heartbeat;
  else if (type == "subscription_ack" || type == "subscribed") out.type = V2Message::Type::subscription_ack;
  else out.type = V2Message::Type::other;
  return {};
}

std::string_view read_field(json::od::field& field, V2Message& out, Seen& seen) {
  json::od::raw_json_string key = field.key();
  value v = field.value();
  std::string_view side;
  if (key == "type") {
    seen.type = true;
    return read_type(v, out);
  }
  if (key == "symbol") return json::read_string(v, out.symbol);
  if (key == "changes") {
    seen.changes = true;
    // Candle updates carry "changes" too, of another shape: only l2 changes are read.
    if (seen.type && out.type != V2Message::Type::l2_updates) return {};
    return read_changes(v, out.changes);
  }
  if (key == "trades" || key == "auction_events") out.snapshot = true;
  else if (key == "timestamp") {
    std::int64_t ms = 0;
    if (v.get_int64().get(ms) != simdjson::SUCCESS) return "timestamp is not an integer";
    out.timestamp_ms = ms;
  } else if (key == "price") {
    seen.price = true;
    return json::read_decimal_string(v, out.trade.price, "price");
  } else if (key == "quantity") {
    seen.quantity = true;
    return json::read_decimal_string(v, out.trade.amount, "quantity");
  } else if (key == "event_id" || key == "tid") {
    return json::read_uint(v, out.trade.tid);
  } else if (key == "side") {
    if (auto err = json::read_string(v, side); !err.empty()) return err;
    out.trade.maker_side = taker_to_maker(side);
  }
  return {};
}

std::string_view check_required(const V2Message& out, const Seen& seen) {
  if (!seen.type) return "missing type";
  if (out.type == V2Message::Type::l2_updates) {
    if (out.symbol.empty()) return "l2_updates without symbol";
    if (!seen.changes) return "l2_updates without changes";
  }
  if (out.type == V2Message::Type::trade) {
    if (out.symbol.empty()) return "trade without symbol";
    if (!seen.price || !seen.quantity) return "trade without price or quantity";
  }
  return {};
}

void reset(V2Message& out) {
  out.type = V2Message::Type::other;
  out.symbol = {};
  out.snapshot = false;
  out.changes.clear();
  out.trade = Trade{};
  out.timestamp_ms.reset();
}

}  // namespace

struct GeminiV2Parser::Impl {
  json::Reader reader;
};

GeminiV2Parser::GeminiV2Parser() : impl_(std::make_unique<Impl>()) {}
GeminiV2Parser::~GeminiV2Parser() = default;

std::string_view GeminiV2Parser::parse(std::string_view frame, V2Message& out) {
  reset(out);
  Seen seen;
  const auto on_field = [&](json::od::field& field) { return read_field(field, out, seen); };
  if (auto err = json::read_object(impl_->reader, frame, on_field); !err.empty()) return err;
  if (auto err = check_required(out, seen); !err.empty()) return err;
  if (out.type != V2Message::Type::l2_updates) out.changes.clear();
  return {};
}

}  // namespace wsbook
