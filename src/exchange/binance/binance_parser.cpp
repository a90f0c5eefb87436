// Binance stream frames to book messages: `depthUpdate` events, bare or in the
// combined streams' {"stream":..,"data":..} wrapper, each covering the update
// ids [U, u] (futures also naming the previous event's u as `pu`); the answers
// to SUBSCRIBE; `serverShutdown`. Every other event (bookTicker, trades,
// klines) is no book message.
#include "exchange/binance/binance.h"
#include "exchange/symbol_text.h"
#include "exchange/binance/binance_json.h"

namespace wsbook::binance {
namespace {

using json::od::value;

constexpr std::string_view kDepthUpdate = "depthUpdate";
constexpr std::string_view kDepthStream = "@depth";

// What an event's fields said, in whatever order they came.
struct Event {
  enum : unsigned { kType = 1, kTime = 2, kS = 4, kFirst = 8, kLast = 16, kPrev = 32, kTrade = 64, kB = 128, kA = 256 };
  unsigned seen = 0;  // a bit per field, against a repeated key
  std::string_view type, symbol;
  std::optional<std::int64_t> time, first, last, prev, trade_time;
  std::size_t first_change = 0;
  // A field before `e` did not fit a depth update: it matters only if `e` then says it is one.
  bool deferred = false;
  bool any = false;  // at the top level: a field only an event has, beside a wrapper's
  bool typed() const { return (seen & kType) != 0; }
};

// What the top level said: a wrapper, an answer, or a bare event's fields.
struct Frame {
  Event top, data;
  bool has_stream = false, has_data = false, data_is_event = false;
  bool has_result = false, result_null = false, has_message = false;
  std::string_view stream, message;
};

bool is_array(value v) {
  json::od::json_type type;
  return v.type().get(type) == simdjson::SUCCESS && type == json::od::json_type::array;
}

bool is_event_key(json::od::raw_json_string key) {
  return key == "e" || key == "E" || key == "s" || key == "U" || key == "u" || key == "pu" || key == "T" ||
         key == "b" || key == "a";
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view read_depth_field(json::od::raw_json_string key, value v, Event& ev, std::vector<BookChange>& out) {
  const auto first = [&ev](unsigned bit) {
    const bool was = (ev.seen & bit) != 0;
    ev.seen |= bit;
    return !was;
  };
  if (key == "E") return first(Event::kTime) ? json::read_id(v, ev.time, "E") : "repeated E";
  if (key == "s") return first(Event::kS) ? json::read_string_field(v, ev.symbol, "s") : "repeated s";
  if (key == "U") return first(Event::kFirst) ? json::read_id(v, ev.first, "U") : "repeated U";
  if (key == "u") return first(Event::kLast) ? json::read_id(v, ev.last, "u") : "repeated u";
  if (key == "pu") return first(Event::kPrev) ? json::read_id(v, ev.prev, "pu") : "repeated pu";
  if (key == "T") return first(Event::kTrade) ? json::read_id(v, ev.trade_time, "T") : "repeated T";
  if (key == "b") return first(Event::kB) ? json::read_pair_levels(v, Side::bid, "b", "quantity", out) : "repeated b";
  if (key == "a") return first(Event::kA) ? json::read_pair_levels(v, Side::ask, "a", "quantity", out) : "repeated a";
  return {};
}

// Fields before `e` are read as a depth update's; `assume_depth`: the frame is
// read again because `e` said so, and what did not fit is now its reason.
std::string_view read_event_field(json::od::raw_json_string key, value v, Event& ev, std::vector<BookChange>& out,
                                  bool assume_depth) {
  if (key == "e") {
    if (ev.typed()) return "repeated e";
    ev.seen |= Event::kType;
    return json::read_string_field(v, ev.type, "e");
  }
  const bool depth = ev.typed() && ev.type == kDepthUpdate;
  if (ev.typed() && !depth) return {};  // another event: none of its fields matter
  // A bookTicker's b and a are prices: no type error is worth building for it.
  if (!depth && !assume_depth && (key == "b" || key == "a") && !is_array(v)) {
    ev.deferred = true;
    return {};
  }
  const std::string_view err = read_depth_field(key, v, ev, out);
  if (err.empty() || depth || assume_depth) return err;
  ev.deferred = true;  // the levels read so far are dropped with the event
  return {};
}

std::string_view read_event(value v, Event& ev, std::vector<BookChange>& out, bool assume_depth) {
  json::od::object object;
  if (v.get_object().get(object) != simdjson::SUCCESS) return "malformed JSON";
  ev.first_change = out.size();
  for (auto item : object) {
    json::od::field field;
    if (std::move(item).get(field) != simdjson::SUCCESS) return "malformed JSON";
    if (auto err = read_event_field(field.key(), field.value(), ev, out, assume_depth); !err.empty()) return err;
  }
  return {};
}

// A combined stream's `data`: an event, or an array (the all-market streams, no book).
std::string_view read_data(value v, Frame& f, std::vector<BookChange>& out, bool assume_depth) {
  if (f.has_data) return "repeated data";
  f.has_data = true;
  json::od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) return "malformed JSON";
  if (type == json::od::json_type::array) return {};
  if (type != json::od::json_type::object) return json::type_error("data", "object", v);
  f.data_is_event = true;
  return read_event(v, f.data, out, assume_depth);
}

// {"error":{"code":2,"msg":"Invalid request: ..."},"id":1}
std::string_view read_error(value v, Frame& f) {
  json::od::object error;
  if (v.get_object().get(error) != simdjson::SUCCESS) return json::type_error("error", "object", v);
  for (auto item : error) {
    json::od::field field;
    if (std::move(item).get(field) != simdjson::SUCCESS) return "malformed JSON";
    if (field.key() == "msg") {
      if (auto err = json::read_string_field(field.value(), f.message, "error.msg"); !err.empty()) return err;
      f.has_message = true;
    }
  }
  return f.has_message ? std::string_view{} : "error without msg";
}

// The answers to our requests: {"result":null,"id":1}, {"code":..,"msg":..}.
std::string_view read_answer_field(json::od::raw_json_string key, value v, Frame& f) {
  if (key == "result") {
    f.has_result = true;
    if (v.is_null().get(f.result_null) != simdjson::SUCCESS) return "malformed JSON";
    return {};
  }
  if (key == "msg") {
    f.has_message = true;
    return json::read_string_field(v, f.message, "msg");
  }
  if (key == "code") {
    std::int64_t code = 0;
    return v.get_int64().get(code) == simdjson::SUCCESS ? std::string_view{}
                                                         : json::type_error("code", "integer", v);
  }
  return read_error(v, f);  // "error"
}

std::string_view read_field(json::od::field& field, Frame& f, std::vector<BookChange>& out, bool assume_depth) {
  const json::od::raw_json_string key = field.key();
  const value v = field.value();
  if (key == "stream") {
    if (f.has_stream) return "repeated stream";
    f.has_stream = true;
    return json::read_string_field(v, f.stream, "stream");
  }
  if (key == "data") return read_data(v, f, out, assume_depth);
  // The id we sent comes back; nothing in it matters.
  if (key == "id") return {};
  if (key == "result" || key == "msg" || key == "code" || key == "error") return read_answer_field(key, v, f);
  if (is_event_key(key)) f.top.any = true;
  return read_event_field(key, v, f.top, out, assume_depth);
}

// The book message of a depth update, once every field is in; `stream` is the
// wrapper's, if any. Any other event leaves nothing behind.
std::string_view add_event(const Event& ev, std::optional<std::string_view> stream, bool futures, ParsedFrame& out) {
  const bool depth = ev.typed() && ev.type == kDepthUpdate;
  if (!depth) out.changes.resize(ev.first_change);
  if (ev.typed() && ev.type == "serverShutdown") out.notices.push_back({Notice::Kind::reconnect, {}, "serverShutdown"});
  if (!depth) return {};
  if ((ev.seen & Event::kS) == 0) return "depthUpdate without s";
  if (!ev.first) return "depthUpdate without U";
  if (!ev.last) return "depthUpdate without u";
  if (futures && !ev.prev) return "depthUpdate without pu";
  if ((ev.seen & Event::kB) == 0) return "depthUpdate without b";
  if ((ev.seen & Event::kA) == 0) return "depthUpdate without a";
  if (*ev.first > *ev.last) return "depthUpdate whose U is greater than its u";
  if (stream) {
    if (auto err = check_stream(*stream, ev.symbol); !err.empty()) return err;
  }
  BookMessage& m = out.books.emplace_back();
  m.symbol = ev.symbol;
  m.first_change = ev.first_change;
  m.end_change = out.changes.size();
  m.first_seq = ev.first;
  m.seq = ev.last;
  m.prev_seq = ev.prev;
  m.exchange_ms = ev.time;
  return {};
}

// Once the whole frame is read: what it was, as a book message or notices.
std::string_view add_frame(const Frame& f, bool futures, ParsedFrame& out) {
  if (f.has_stream || f.has_data) {
    if (f.top.any) return "a stream wrapper with an event's fields";
    if (!f.has_data) return "stream without data";
    if (!f.data_is_event) return {};
    return add_event(f.data, f.has_stream ? std::optional(f.stream) : std::nullopt, futures, out);
  }
  if (f.has_message) {
    out.changes.resize(f.top.first_change);
    out.notices.push_back({Notice::Kind::error, {}, f.message});
    return {};
  }
  if (f.has_result) {
    out.changes.resize(f.top.first_change);
    // SUBSCRIBE's answer; LIST_SUBSCRIPTIONS' (a list) is no news.
    if (f.result_null) out.notices.push_back({Notice::Kind::subscribed, {}, {}});
    return {};
  }
  return add_event(f.top, std::nullopt, futures, out);
}

class Parser final : public VenueParser {
 public:
  Parser(bool futures, bool fast_path) : futures_(futures), fast_path_(fast_path) {}

  std::string_view parse(std::string_view frame, ParsedFrame& out) override {
    if (fast_path_ && parse_fast(frame, futures_, out)) return {};
    out.clear();
    bool deferred = false;
    std::string_view err = parse_frame(frame, out, false, deferred);
    // A depth update with a field before `e` that did not fit it: read again to say which.
    if (err.empty() && deferred) {
      out.clear();
      err = parse_frame(frame, out, true, deferred);
      if (err.empty()) err = "malformed depthUpdate";
    }
    if (!err.empty()) {
      out.clear();  // nothing of a malformed frame can be applied
      out.malformed_symbol = symbol_;
    }
    return err;
  }

  std::string_view parse_snapshot(int http_status, std::string_view body, std::string_view symbol,
                                  ParsedFrame& out) override {
    return parse_snapshot_reply(reader_, http_status, body, symbol, out, text_);
  }

 private:
  std::string_view parse_frame(std::string_view frame, ParsedFrame& out, bool assume_depth, bool& deferred) {
    Frame f;
    const auto on_field = [&](json::od::field& field) { return read_field(field, f, out.changes, assume_depth); };
    std::string_view err = json::read_object(reader_, frame, on_field);
    const Event& ev = f.has_data ? f.data : f.top;
    if (err.empty()) {
      deferred = ev.deferred && ev.typed() && ev.type == kDepthUpdate;
      if (deferred && !assume_depth) return {};
      err = add_frame(f, futures_, out);
    }
    // Whose frame it was, as far as it got: the stream's name comes first, or `s`.
    if (f.has_stream) symbol_ = upper(f.stream.substr(0, f.stream.find('@')));
    else symbol_ = (ev.seen & Event::kS) != 0 ? ev.symbol : std::string_view{};
    return err;
  }

  bool futures_;
  bool fast_path_;
  json::Reader reader_;
  std::string text_;  // an error notice's words, for the life of the views into it
  std::string symbol_;  // the symbol of the frame last read, for ParsedFrame::malformed_symbol
};

}  // namespace

std::unique_ptr<VenueParser> make_parser(bool futures, bool fast_path) {
  return std::make_unique<Parser>(futures, fast_path);
}

std::string_view check_stream(std::string_view stream, std::string_view symbol) {
  if (stream.size() <= symbol.size()) return "stream does not match s";
  for (std::size_t i = 0; i < symbol.size(); ++i) {
    if (lower(stream[i]) != lower(symbol[i])) return "stream does not match s";
  }
  if (stream[symbol.size()] != '@') return "stream does not match s";
  const std::string_view rest = stream.substr(symbol.size());
  if (rest != kDepthStream && !(rest.starts_with(kDepthStream) && rest[kDepthStream.size()] == '@')) {
    return "stream is not a diff depth stream";
  }
  return {};
}

}  // namespace wsbook::binance
