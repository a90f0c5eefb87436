// Coinbase Advanced Trade frames: one envelope (`channel`, `sequence_num`,
// `timestamp`, `events`) around level2 events, heartbeats and acks; errors
// come bare. Read in one on-demand pass whatever the field order.
#include "exchange/coinbase/coinbase_parser.h"
#include "json/rfc3339.h"

namespace wsbook::coinbase {
namespace {

using json::od::array;
using json::od::object;
using json::od::value;

enum class Channel : std::uint8_t { unseen, l2, heartbeats, subscriptions, other };

Channel channel_of(std::string_view name) {
  if (name == "l2_data") return Channel::l2;
  if (name == "heartbeats") return Channel::heartbeats;
  if (name == "subscriptions") return Channel::subscriptions;
  return Channel::other;
}

std::string_view read_string(value v, std::string_view& out, std::string_view field) {
  if (v.get_string().get(out) != simdjson::SUCCESS) return json::type_error(field, "string", v);
  return {};
}

// Compared raw, without unescaping: a side spelled with escapes is no side.
std::string_view read_side(value v, Side& side) {
  json::od::raw_json_string s;
  if (v.get_raw_json_string().get(s) != simdjson::SUCCESS) return json::type_error("side", "string", v);
  if (s == "bid") side = Side::bid;
  else if (s == "offer") side = Side::ask;
  else return "side: bid or offer expected";
  return {};
}

// One {"side":"bid","event_time":"…","price_level":"21921.73","new_quantity":"0.06317902"}.
std::string_view read_update(value v, BookChange& c) {
  object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return json::type_error("updates[]", "object", v);
  bool side = false, price = false, quantity = false;
  for (auto item : obj) {
    json::od::field f;
    if (std::move(item).get(f) != simdjson::SUCCESS) return "malformed JSON";
    const json::od::raw_json_string key = f.key();
    std::string_view err;
    if (key == "side") side = true, err = read_side(f.value(), c.side);
    else if (key == "price_level") price = true, err = json::read_decimal_string(f.value(), c.price, "price_level");
    else if (key == "new_quantity") quantity = true, err = json::read_decimal_string(f.value(), c.amount, "new_quantity");
    if (!err.empty()) return err;
  }
  if (!side) return "update without side";
  if (!price) return "update without price_level";
  if (!quantity) return "update without new_quantity";
  return {};
}

std::string_view read_updates(value v, std::vector<BookChange>& changes) {
  array updates;
  if (v.get_array().get(updates) != simdjson::SUCCESS) return json::type_error("updates", "array", v);
  for (auto item : updates) {
    value update;
    if (item.get(update) != simdjson::SUCCESS) return "malformed JSON";
    if (auto err = read_update(update, changes.emplace_back()); !err.empty()) return err;
  }
  return {};
}

std::string_view read_event_type(value v, bool& snapshot) {
  std::string_view type;
  if (auto err = read_string(v, type, "type"); !err.empty()) return err;
  if (type == "snapshot") snapshot = true;
  else if (type == "update") snapshot = false;
  else return "type: snapshot or update expected";
  return {};
}

// One {"type":"snapshot"|"update","product_id":"BTC-USD","updates":[…]}: one BookMessage.
std::string_view read_l2_event(value v, ParsedFrame& out) {
  object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return json::type_error("events[]", "object", v);
  BookMessage msg;
  msg.first_change = out.changes.size();
  bool type = false, product = false, updates = false;
  for (auto item : obj) {
    json::od::field f;
    if (std::move(item).get(f) != simdjson::SUCCESS) return "malformed JSON";
    const json::od::raw_json_string key = f.key();
    std::string_view err;
    if (key == "type") type = true, err = read_event_type(f.value(), msg.snapshot);
    else if (key == "product_id") product = true, err = read_string(f.value(), msg.symbol, "product_id");
    else if (key == "updates") updates = true, err = read_updates(f.value(), out.changes);
    if (!err.empty()) return err;
  }
  if (!type) return "event without type";
  if (!product || msg.symbol.empty()) return "event without product_id";
  if (!updates) return "event without updates";
  msg.end_change = out.changes.size();
  out.books.push_back(msg);
  return {};
}

// {"level2":["BTC-USD"],"heartbeats":["heartbeats"]}: a notice per level2 product.
std::string_view read_subscribed(value v, ParsedFrame& out) {
  object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return json::type_error("subscriptions", "object", v);
  for (auto item : obj) {
    json::od::field f;
    if (std::move(item).get(f) != simdjson::SUCCESS) return "malformed JSON";
    if (f.key() != "level2" && f.key() != "l2_data") continue;
    array products;
    if (f.value().get_array().get(products) != simdjson::SUCCESS) {
      return json::type_error("subscriptions level2", "array", f.value());
    }
    for (auto p : products) {
      value pv;
      std::string_view product;
      if (p.get(pv) != simdjson::SUCCESS) return "malformed JSON";
      if (auto err = read_string(pv, product, "subscriptions level2[]"); !err.empty()) return err;
      out.notices.push_back({Notice::Kind::subscribed, product, {}});
    }
  }
  return {};
}

std::string_view read_subscriptions_event(value v, ParsedFrame& out) {
  object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return json::type_error("events[]", "object", v);
  for (auto item : obj) {
    json::od::field f;
    if (std::move(item).get(f) != simdjson::SUCCESS) return "malformed JSON";
    if (f.key() != "subscriptions") continue;
    if (auto err = read_subscribed(f.value(), out); !err.empty()) return err;
  }
  return {};
}

std::string_view read_events(array events, Channel channel, ParsedFrame& out) {
  for (auto item : events) {
    value event;
    if (item.get(event) != simdjson::SUCCESS) return "malformed JSON";
    std::string_view err;
    if (channel == Channel::l2) err = read_l2_event(event, out);
    else if (channel == Channel::subscriptions) err = read_subscriptions_event(event, out);
    if (!err.empty()) return err;
  }
  return {};
}

}  // namespace

struct Parser::Envelope {
  Channel channel = Channel::unseen;
  std::optional<std::uint64_t> seq;
  bool events = false;
  std::string_view deferred;        // the events' text, when they came before the channel
  std::string_view deferred_error;  // why those events are malformed, if they are
  std::string_view timestamp, timestamp_error;
  std::string_view type, message, reason;
};

namespace {

std::string_view read_events_field(value v, Parser::Envelope& env, ParsedFrame& out) {
  if (env.events) return "events twice";
  env.events = true;
  if (env.channel == Channel::other) return {};
  array events;
  if (v.get_array().get(events) != simdjson::SUCCESS) {
    if (env.channel != Channel::unseen) return json::type_error("events", "array", v);
    env.deferred_error = json::type_error("events", "array", v);
    return {};
  }
  if (env.channel == Channel::unseen) {
    if (events.raw_json().get(env.deferred) != simdjson::SUCCESS) return "malformed JSON";
    return {};
  }
  return read_events(events, env.channel, out);
}

std::string_view read_sequence(value v, Parser::Envelope& env) {
  std::uint64_t seq = 0;
  if (v.get_uint64().get(seq) != simdjson::SUCCESS) return json::type_error("sequence_num", "non-negative integer", v);
  env.seq = seq;
  return {};
}

std::string_view read_channel(value v, Parser::Envelope& env) {
  std::string_view name;
  if (auto err = read_string(v, name, "channel"); !err.empty()) return err;
  if (env.channel != Channel::unseen) return "channel twice";
  env.channel = channel_of(name);
  return {};
}

std::string_view read_field(json::od::field& f, Parser::Envelope& env, ParsedFrame& out) {
  const json::od::raw_json_string key = f.key();
  if (key == "channel") return read_channel(f.value(), env);
  if (key == "sequence_num") return read_sequence(f.value(), env);
  if (key == "events") return read_events_field(f.value(), env, out);
  if (key == "timestamp") {
    if (read_string(f.value(), env.timestamp, "timestamp").empty()) return {};
    env.timestamp_error = json::type_error("timestamp", "string", f.value());
    return {};
  }
  if (key == "type") return read_string(f.value(), env.type, "type");
  if (key == "message") return read_string(f.value(), env.message, "message");
  if (key == "reason") return read_string(f.value(), env.reason, "reason");
  return {};
}

std::string_view stamp(const Parser::Envelope& env, ParsedFrame& out) {
  if (!env.timestamp_error.empty()) return env.timestamp_error;
  if (env.timestamp.empty()) return {};
  const std::optional<std::int64_t> ms = json::parse_rfc3339_ms(env.timestamp);
  if (!ms) return "timestamp: RFC 3339 UTC time expected";
  for (BookMessage& b : out.books) b.exchange_ms = ms;
  return {};
}

}  // namespace

std::string_view Parser::parse(std::string_view frame, ParsedFrame& out) {
  if (fast_path_ && parse_fast(frame, out)) return {};
  out.clear();
  Envelope env;
  const auto on_field = [&](json::od::field& f) { return read_field(f, env, out); };
  std::string_view err = json::read_object(reader_, frame, on_field);
  if (err.empty()) err = finish(env, out);
  if (!err.empty()) out.clear();
  return err;
}

std::string_view Parser::finish(Envelope& env, ParsedFrame& out) {
  if (env.channel == Channel::unseen) {
    out.connection_seq = env.seq;
    return env.type == "error" ? read_error(env, out) : std::string_view{};
  }
  if (!env.seq) return "missing sequence_num";
  out.connection_seq = env.seq;
  if (env.channel == Channel::other) return {};
  if (!env.deferred_error.empty()) return env.deferred_error;
  if (!env.deferred.empty()) {
    if (auto err = read_deferred(env, out); !err.empty()) return err;
  }
  if (env.channel == Channel::heartbeats) out.notices.push_back({Notice::Kind::heartbeat, {}, {}});
  if (env.channel != Channel::l2) return {};
  if (!env.events) return "l2_data without events";
  return stamp(env, out);
}

std::string_view Parser::read_deferred(Envelope& env, ParsedFrame& out) {
  if (env.channel == Channel::heartbeats) return {};
  // simdjson reads past the end of its input: a padded copy, reused from frame to frame.
  deferred_buf_.assign(env.deferred);
  deferred_buf_.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::padded_string_view in(deferred_buf_.data(), env.deferred.size(), deferred_buf_.size());
  json::od::document doc;
  array events;
  if (deferred_parser_.iterate(in).get(doc) != simdjson::SUCCESS || doc.get_array().get(events) != simdjson::SUCCESS) {
    return "malformed JSON";
  }
  return read_events(events, env.channel, out);
}

std::string_view Parser::read_error(const Envelope& env, ParsedFrame& out) {
  error_text_.assign(env.message.empty() ? std::string_view("error") : env.message);
  if (!env.reason.empty()) error_text_.append(": ").append(env.reason);
  std::string_view product = find_product(env.reason);
  if (product.empty()) product = find_product(env.message);
  if (product.empty()) out.notices.push_back({Notice::Kind::error, {}, error_text_});
  else out.notices.push_back({Notice::Kind::rejected, product, error_text_});
  return {};
}

}  // namespace wsbook::coinbase
