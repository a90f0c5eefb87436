// Bybit v5 public frames to book messages: `orderbook.{depth}.{symbol}`
// snapshots and deltas chained by `u`, the pongs of every market, subscribe acks.
#include <cstdint>
#include <limits>
#include <optional>

#include "exchange/bybit/bybit.h"
#include "json/fields.h"

namespace wsbook::bybit {
namespace {

using json::od::array;
using json::od::object;
using json::od::value;

constexpr std::string_view kBookPrefix = "orderbook.";

// What the top-level fields said, in whatever order they came: spot and
// futures order their keys differently.
struct Envelope {
  bool has_topic = false, book = false, has_type = false, has_data = false, has_op = false;
  std::string_view topic_symbol, type, op, ret_msg;
  std::optional<bool> success;
  std::optional<std::int64_t> ts, cts;
  // `data` met before the topic: its text, read once the topic says what it is.
  std::string_view deferred_data, deferred_error;
};

// What the `data` of an orderbook push said; its levels go straight to the frame.
struct BookData {
  enum : unsigned { kS = 1, kB = 2, kA = 4, kU = 8, kSeq = 16 };
  unsigned seen = 0;  // a bit per field, against a repeated key
  std::string_view symbol;
  std::optional<std::int64_t> u;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_symbol_char(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_';
}

// "orderbook.50.BTCUSDT": a book; any other topic (publicTrade, tickers) is not.
std::string_view read_topic(std::string_view topic, Envelope& e) {
  if (!topic.starts_with(kBookPrefix)) return {};
  e.book = true;
  topic.remove_prefix(kBookPrefix.size());
  std::size_t n = 0;
  while (n < topic.size() && is_digit(topic[n])) ++n;
  if (n == 0 || n + 1 >= topic.size() || topic[n] != '.') return "topic: orderbook.{depth}.{symbol} expected";
  e.topic_symbol = topic.substr(n + 1);
  return {};
}


std::string_view read_data_field(json::od::field& field, BookData& d, std::vector<BookChange>& out) {
  json::od::raw_json_string key = field.key();
  value v = field.value();
  const auto first = [&d](unsigned bit) {
    const bool was = (d.seen & bit) != 0;
    d.seen |= bit;
    return !was;
  };
  std::optional<std::int64_t> seq;
  if (key == "s") return first(BookData::kS) ? json::read_string_field(v, d.symbol, "data.s") : "data: repeated s";
  if (key == "b") return first(BookData::kB) ? json::read_pair_levels(v, Side::bid, "data.b", "size", out) : "data: repeated b";
  if (key == "a") return first(BookData::kA) ? json::read_pair_levels(v, Side::ask, "data.a", "size", out) : "data: repeated a";
  if (key == "u") return first(BookData::kU) ? json::read_id(v, d.u, "data.u") : "data: repeated u";
  // The cross sequence orders pushes across depths; one depth needs only u.
  if (key == "seq") return first(BookData::kSeq) ? json::read_id(v, seq, "data.seq") : "data: repeated seq";
  return {};
}

std::string_view read_data(value v, BookData& d, std::vector<BookChange>& out) {
  object data;
  if (v.get_object().get(data) != simdjson::SUCCESS) return json::type_error("data", "object", v);
  for (auto item : data) {
    json::od::field field;
    if (std::move(item).get(field) != simdjson::SUCCESS) return "malformed JSON";
    if (auto err = read_data_field(field, d, out); !err.empty()) return err;
  }
  return {};
}

std::string_view on_data(value v, Envelope& e, BookData& d, std::vector<BookChange>& out) {
  if (e.has_data) return "repeated data";
  e.has_data = true;
  if (e.has_topic) return e.book ? read_data(v, d, out) : std::string_view{};
  // Before the topic: keep the text, to read once the topic says it is a book.
  object data;
  if (v.get_object().get(data) != simdjson::SUCCESS) {
    e.deferred_error = json::type_error("data", "object", v);
    return {};
  }
  if (data.raw_json().get(e.deferred_data) != simdjson::SUCCESS) return "malformed JSON";
  return {};
}

std::string_view read_op_field(json::od::raw_json_string key, value v, Envelope& e) {
  if (key == "op") {
    e.has_op = true;
    return json::read_string_field(v, e.op, "op");
  }
  if (key == "ret_msg") return json::read_string_field(v, e.ret_msg, "ret_msg");
  if (key == "success") {
    bool ok = false;
    if (v.get_bool().get(ok) != simdjson::SUCCESS) return json::type_error("success", "boolean", v);
    e.success = ok;
  }
  return {};
}

std::string_view read_field(json::od::field& field, Envelope& e, BookData& d, std::vector<BookChange>& out) {
  json::od::raw_json_string key = field.key();
  value v = field.value();
  if (key == "topic") {
    if (e.has_topic) return "repeated topic";
    e.has_topic = true;
    std::string_view topic;
    if (auto err = json::read_string_field(v, topic, "topic"); !err.empty()) return err;
    return read_topic(topic, e);
  }
  if (key == "type") {
    if (e.has_type) return "repeated type";
    e.has_type = true;
    return json::read_string_field(v, e.type, "type");
  }
  if (key == "ts") return json::read_id(v, e.ts, "ts");
  if (key == "cts") return json::read_id(v, e.cts, "cts");
  if (key == "data") return on_data(v, e, d, out);
  return read_op_field(key, v, e);
}

// The one message of an orderbook push, once every field is in.
std::string_view add_book(const Envelope& e, const BookData& d, ParsedFrame& out) {
  if (!e.has_data) return "orderbook push without data";
  if (!e.has_type) return "orderbook push without type";
  const bool snapshot = e.type == "snapshot";
  if (!snapshot && e.type != "delta") return "type: snapshot or delta expected";
  if ((d.seen & BookData::kS) == 0) return "data without s";
  if (!d.u) return "data without u";
  if (d.symbol != e.topic_symbol) return "data.s does not match the topic";
  BookMessage& m = out.books.emplace_back();
  m.symbol = d.symbol;
  // u 1 is the first push after the venue restarted: the book starts over.
  m.snapshot = snapshot || *d.u == 1;
  m.end_change = out.changes.size();
  m.seq = d.u;
  // No previous id on the wire: u steps by one per push of a topic.
  if (!m.snapshot) m.prev_seq = *d.u - 1;
  m.exchange_ms = e.cts ? e.cts : e.ts;  // cts: the matching engine's time
  return {};
}

// "error:handler not found,topic:orderbook.50.XXXUSDT": a notice per orderbook
// topic named, else one about no symbol in particular.
void add_topic_notices(Notice::Kind kind, std::string_view msg, std::vector<Notice>& out) {
  bool any = false;
  for (std::size_t at = msg.find(kBookPrefix); at != std::string_view::npos; at = msg.find(kBookPrefix, at)) {
    at += kBookPrefix.size();
    while (at < msg.size() && is_digit(msg[at])) ++at;
    if (at >= msg.size() || msg[at] != '.') continue;
    const std::size_t begin = ++at;
    while (at < msg.size() && is_symbol_char(msg[at])) ++at;
    if (at == begin) continue;
    out.push_back({kind, msg.substr(begin, at - begin), msg});
    any = true;
  }
  if (!any) out.push_back({kind, {}, msg});
}

// Spot and linear answer a ping with op "ping" and ret_msg "pong"; option with op "pong".
std::string_view add_op_notices(const Envelope& e, std::vector<Notice>& out) {
  if (e.op == "pong" || (e.op == "ping" && e.success.value_or(true))) {
    out.push_back({Notice::Kind::pong, {}, e.ret_msg});
    return {};
  }
  if (e.op == "subscribe") {
    if (!e.success) return "subscribe answer without success";
    if (*e.success) {
      out.push_back({Notice::Kind::subscribed, {}, e.ret_msg});
      return {};
    }
    // A topic subscribed twice fails, yet the first subscription goes on delivering.
    const bool twice = e.ret_msg.find("already subscribed") != std::string_view::npos;
    add_topic_notices(twice ? Notice::Kind::subscribed : Notice::Kind::rejected, e.ret_msg, out);
    return {};
  }
  // A failed unsubscribe changes nothing: the resubscription that follows tells.
  if (e.success == false && e.op != "unsubscribe") out.push_back({Notice::Kind::error, {}, e.ret_msg});
  return {};
}

class Parser final : public VenueParser {
 public:
  explicit Parser(bool fast_path) : fast_path_(fast_path) {}

  std::string_view parse(std::string_view frame, ParsedFrame& out) override {
    if (fast_path_ && parse_fast(frame, out)) return {};
    out.clear();
    const std::string_view err = parse_frame(frame, out);
    if (!err.empty()) out.clear();  // nothing of a malformed frame can be applied
    return err;
  }

 private:
  std::string_view parse_frame(std::string_view frame, ParsedFrame& out) {
    Envelope e;
    BookData d;
    const auto on_field = [&](json::od::field& field) { return read_field(field, e, d, out.changes); };
    if (auto err = json::read_object(reader_, frame, on_field); !err.empty()) return err;
    if (e.has_topic) {
      if (!e.book) return {};
      if (!e.deferred_error.empty()) return e.deferred_error;
      if (!e.deferred_data.empty()) {
        const auto on_data_field = [&](json::od::field& field) { return read_data_field(field, d, out.changes); };
        if (auto err = json::read_object(data_reader_, e.deferred_data, on_data_field); !err.empty()) return err;
      }
      return add_book(e, d, out);
    }
    return e.has_op ? add_op_notices(e, out.notices) : std::string_view{};
  }

  bool fast_path_;
  json::Reader reader_;
  json::Reader data_reader_;  // for a `data` that came before its topic
};

}  // namespace

std::unique_ptr<VenueParser> make_parser(bool fast_path) { return std::make_unique<Parser>(fast_path); }

}  // namespace wsbook::bybit
