// The OKX v5 public parser: `books` data to book messages, events to notices,
// the bare "pong" to a pong; other channels (tickers, trades) pass unread.
#include <limits>
#include <string>

#include "exchange/okx/okx.h"
#include "json/reader.h"

namespace wsbook {
namespace {

using json::od::array;
using json::od::object;
using json::od::value;

std::string_view read_text(value v, std::string_view field, std::string_view& out) {
  if (v.get_string().get(out) != simdjson::SUCCESS) return json::type_error(field, "string", v);
  return {};
}

// A string whose content says nothing to the book.
std::string_view read_text(value v, std::string_view field) {
  std::string_view ignored;
  return read_text(v, field, ignored);
}

// One [price, size, liquidated orders, order count] level, all four strings.
// The third is deprecated and always "0": it is no count, and it is not read.
std::string_view read_level(value v, Side side, BookChange& c) {
  array fields;
  if (v.get_array().get(fields) != simdjson::SUCCESS) return json::type_error("level", "array", v);
  c.side = side;
  std::size_t n = 0;
  for (auto item : fields) {
    value field;
    if (std::move(item).get(field) != simdjson::SUCCESS) return "malformed level";
    std::string_view err = "level has more than 4 fields";
    if (n == 0) err = json::read_decimal_string(field, c.price, "level price");
    else if (n == 1) err = json::read_decimal_string(field, c.amount, "level size");
    else if (n == 2) err = read_text(field, "level liquidated orders");
    else if (n == 3) err = read_text(field, "level order count");
    if (!err.empty()) return err;
    ++n;
  }
  return n == 4 ? std::string_view{} : "level has fewer than 4 fields";
}

std::string_view read_levels(value v, Side side, std::string_view field, std::vector<BookChange>& out) {
  array levels;
  if (v.get_array().get(levels) != simdjson::SUCCESS) return json::type_error(field, "array", v);
  for (auto item : levels) {
    value level;
    if (std::move(item).get(level) != simdjson::SUCCESS) return "malformed levels";
    if (auto err = read_level(level, side, out.emplace_back()); !err.empty()) return err;
  }
  return {};
}

// OKX sends `ts` as a string of unix milliseconds.
std::string_view read_ms(value v, std::int64_t& out) {
  std::string_view text;
  if (v.get_string().get(text) != simdjson::SUCCESS) return json::type_error("ts", "string", v);
  if (text.empty() || text.size() > 18) return "ts is not unix milliseconds";
  out = 0;
  for (const char ch : text) {
    if (ch < '0' || ch > '9') return "ts is not unix milliseconds";
    out = out * 10 + (ch - '0');
  }
  return {};
}

std::string_view read_int(value v, std::string_view field, std::int64_t& out) {
  if (v.get_int64().get(out) != simdjson::SUCCESS) return json::type_error(field, "integer", v);
  return {};
}

// A signed int32 on the wire; the book message keeps its bit pattern.
std::string_view read_checksum(value v, std::optional<std::uint32_t>& out) {
  std::int64_t crc = 0;
  if (auto err = read_int(v, "checksum", crc); !err.empty()) return err;
  if (crc < std::numeric_limits<std::int32_t>::min() || crc > std::numeric_limits<std::int32_t>::max()) {
    return "checksum is not a 32-bit signed integer";
  }
  out = static_cast<std::uint32_t>(static_cast<std::int32_t>(crc));
  return {};
}

struct SeenSides {
  bool asks = false, bids = false;
};

std::string_view read_element_field(json::od::field& field, BookMessage& m, SeenSides& seen,
                                    std::vector<BookChange>& changes) {
  const json::od::raw_json_string key = field.key();
  value v = field.value();
  std::int64_t n = 0;
  if (key == "asks") {
    seen.asks = true;
    return read_levels(v, Side::ask, "asks", changes);
  }
  if (key == "bids") {
    seen.bids = true;
    return read_levels(v, Side::bid, "bids", changes);
  }
  if (key == "checksum") return read_checksum(v, m.checksum);
  if (key == "ts") {
    if (auto err = read_ms(v, n); !err.empty()) return err;
    m.exchange_ms = n;
  } else if (key == "seqId") {
    if (auto err = read_int(v, "seqId", n); !err.empty()) return err;
    m.seq = n;
  } else if (key == "prevSeqId") {
    if (auto err = read_int(v, "prevSeqId", n); !err.empty()) return err;
    m.prev_seq = n;
  }
  return {};
}

// One element of `data`: a book message of its own.
std::string_view read_element(value v, ParsedFrame& out) {
  object element;
  if (v.get_object().get(element) != simdjson::SUCCESS) return json::type_error("data element", "object", v);
  BookMessage& m = out.books.emplace_back();
  m.first_change = out.changes.size();
  SeenSides seen;
  for (auto item : element) {
    json::od::field field;
    if (std::move(item).get(field) != simdjson::SUCCESS) return "malformed data element";
    if (auto err = read_element_field(field, m, seen, out.changes); !err.empty()) return err;
  }
  if (!seen.asks || !seen.bids) return "books data without asks or bids";
  m.end_change = out.changes.size();
  return {};
}

std::string_view read_data(array data, ParsedFrame& out) {
  for (auto item : data) {
    value element;
    if (std::move(item).get(element) != simdjson::SUCCESS) return "malformed data";
    if (auto err = read_element(element, out); !err.empty()) return err;
  }
  return {};
}

// The instrument an error's msg names ("...channel:books,instId:BTC-USDTT doesn't exist"), or "".
std::string_view named_inst_id(std::string_view msg) {
  const std::size_t at = msg.find("instId");
  if (at == std::string_view::npos) return {};
  std::size_t begin = at + 6;
  while (begin < msg.size() && (msg[begin] == ':' || msg[begin] == '"' || msg[begin] == ' ')) ++begin;
  std::size_t end = begin;
  while (end < msg.size() && msg[end] != ' ' && msg[end] != ',' && msg[end] != '"' && msg[end] != '}') ++end;
  return msg.substr(begin, end - begin);
}

// What the top level of a frame said, in whatever order it said it.
struct Top {
  std::string_view event, channel, inst_id, action, msg, code;
  bool arg = false, data = false, deferred = false;
};

std::string_view read_arg(value v, Top& top) {
  object arg;
  if (v.get_object().get(arg) != simdjson::SUCCESS) return json::type_error("arg", "object", v);
  top.arg = true;
  for (auto item : arg) {
    json::od::field field;
    if (std::move(item).get(field) != simdjson::SUCCESS) return "malformed arg";
    const json::od::raw_json_string key = field.key();
    std::string_view err;
    if (key == "channel") err = read_text(field.value(), "arg channel", top.channel);
    else if (key == "instId") err = read_text(field.value(), "arg instId", top.inst_id);
    if (!err.empty()) return err;
  }
  return {};
}

void notice(ParsedFrame& out, Notice::Kind kind, std::string_view symbol, std::string_view text) {
  out.notices.push_back({kind, symbol, text});
}

// Acks, errors and the venue's notices; login and connection counts say nothing of books.
void on_event(const Top& top, ParsedFrame& out) {
  const std::string_view text = top.msg.empty() ? top.code : top.msg;
  if (top.event == "subscribe") {
    notice(out, Notice::Kind::subscribed, top.inst_id, {});
  } else if (top.event == "error") {
    const std::string_view inst = named_inst_id(top.msg);
    notice(out, inst.empty() ? Notice::Kind::error : Notice::Kind::rejected, inst, text);
  } else if (top.event == "notice") {
    // OKX warns this way before it closes the connection for an upgrade.
    notice(out, Notice::Kind::reconnect, {}, text.empty() ? std::string_view("service notice") : text);
  } else if (top.event == "channel-conn-count-error") {
    notice(out, Notice::Kind::error, {}, "too many connections to the channel");
  }
}

std::string_view book_action(std::string_view action, bool& snapshot) {
  if (action == "snapshot") snapshot = true;
  else if (action == "update") snapshot = false;
  else if (action.empty()) return "books without action";
  else return "books: unknown action";
  return {};
}

class OkxParser final : public VenueParser {
 public:
  explicit OkxParser(bool fast_path) : fast_path_(fast_path) {}

  std::string_view parse(std::string_view frame, ParsedFrame& out) override {
    if (fast_path_ && parse_okx_fast(frame, out)) return {};
    out.clear();
    // Not JSON: OKX answers the text "ping" with the text "pong".
    if (frame == "pong") {
      notice(out, Notice::Kind::pong, {}, {});
      return {};
    }
    const std::string_view err = parse_json(frame, out);
    if (!err.empty()) out.clear();
    return err;
  }

  std::uint32_t checksum(std::string_view, const OrderBook& book) const override { return okx_book_checksum(book); }

 private:
  std::string_view parse_json(std::string_view frame, ParsedFrame& out) {
    Top top;
    const auto on_field = [&](json::od::field& field) { return read_field(field, top, out); };
    if (auto err = json::read_object(reader_, frame, on_field); !err.empty()) return err;
    if (!top.event.empty()) {
      on_event(top, out);
      out.books.clear(), out.changes.clear();
      return {};
    }
    if (!top.arg) return "missing arg";
    if (top.channel.empty()) return "arg without channel";
    if (top.channel != "books") return {};
    return finish_books(top, out);
  }

  std::string_view read_field(json::od::field& field, Top& top, ParsedFrame& out) {
    const json::od::raw_json_string key = field.key();
    value v = field.value();
    if (key == "event") return read_text(v, "event", top.event);
    if (key == "arg") return read_arg(v, top);
    if (key == "action") return read_text(v, "action", top.action);
    if (key == "msg") return read_text(v, "msg", top.msg);
    if (key == "code") return read_text(v, "code", top.code);
    if (key != "data") return {};
    top.data = true;
    // Other channels' data has other shapes: it is not read.
    if (top.arg && top.channel != "books") return {};
    array data;
    if (v.get_array().get(data) != simdjson::SUCCESS) return json::type_error("data", "array", v);
    if (top.arg) return read_data(data, out);
    return defer(data, top);
  }

  // `data` before `arg`: whether it is a book is not known yet, so it is kept
  // and read once the frame has said its channel. OKX sends `arg` first.
  std::string_view defer(array data, Top& top) {
    std::string_view raw;
    if (data.raw_json().get(raw) != simdjson::SUCCESS) return "malformed data";
    deferred_.assign(raw);
    deferred_.append(simdjson::SIMDJSON_PADDING, '\0');
    deferred_size_ = raw.size();
    top.deferred = true;
    return {};
  }

  std::string_view read_deferred(ParsedFrame& out) {
    const simdjson::padded_string_view in(deferred_.data(), deferred_size_, deferred_.size());
    array data;
    if (deferred_parser_.iterate(in).get(deferred_doc_) != simdjson::SUCCESS ||
        deferred_doc_.get_array().get(data) != simdjson::SUCCESS) {
      return "malformed data";
    }
    return read_data(data, out);
  }

  std::string_view finish_books(const Top& top, ParsedFrame& out) {
    if (top.inst_id.empty()) return "books arg without instId";
    if (!top.data) return "books without data";
    bool snapshot = false;
    if (auto err = book_action(top.action, snapshot); !err.empty()) return err;
    if (top.deferred) {
      if (auto err = read_deferred(out); !err.empty()) return err;
    }
    for (BookMessage& m : out.books) m.symbol = top.inst_id, m.snapshot = snapshot;
    return {};
  }

  bool fast_path_;
  json::Reader reader_;
  json::od::parser deferred_parser_;
  json::od::document deferred_doc_;
  std::string deferred_;
  std::size_t deferred_size_ = 0;
};

}  // namespace

std::unique_ptr<VenueParser> make_okx_parser(bool fast_path) { return std::make_unique<OkxParser>(fast_path); }

}  // namespace wsbook
