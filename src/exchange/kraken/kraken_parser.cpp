#include "exchange/kraken/kraken_parser.h"

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "exchange/kraken/kraken_checksum.h"
#include "exchange/kraken/kraken_data.h"

namespace wsbook::kraken {
namespace {

using json::od::field;
using json::od::object;
using json::od::value;

// What a frame's top level said, read in whatever order the fields come.
struct Top {
  std::string_view channel, type, method, error, symbol;
  std::string_view result_channel, result_symbol;
  bool has_data = false, has_success = false, success = false;
};

std::string_view read_text(value v, std::string_view name, std::string_view& out) {
  if (v.get_string().get(out) != simdjson::SUCCESS) return json::type_error(name, "string", v);
  return {};
}

// `result` of a subscription answer: its channel and symbol.
std::string_view read_result(value v, Top& top) {
  object result;
  if (v.get_object().get(result) != simdjson::SUCCESS) return json::type_error("result", "object", v);
  for (auto item : result) {
    field f;
    if (std::move(item).get(f) != simdjson::SUCCESS) return "malformed result";
    std::string_view err;
    if (f.key() == "channel") err = read_text(f.value(), "result channel", top.result_channel);
    else if (f.key() == "symbol") err = read_text(f.value(), "result symbol", top.result_symbol);
    if (!err.empty()) return err;
  }
  return {};
}

std::string_view read_success(value v, Top& top) {
  top.has_success = true;
  if (v.get_bool().get(top.success) != simdjson::SUCCESS) return json::type_error("success", "boolean", v);
  return {};
}

Notice notice(Notice::Kind kind, std::string_view symbol, std::string_view text) {
  Notice n;
  n.kind = kind, n.symbol = symbol, n.text = text;
  return n;
}

// A `method` answer: a pong, a subscription's success or failure, an error.
void on_method(const Top& top, ParsedFrame& out) {
  if (top.method == "pong") {
    out.notices.push_back(notice(Notice::Kind::pong, {}, {}));
    return;
  }
  const std::string_view symbol = !top.symbol.empty() ? top.symbol : top.result_symbol;
  const bool failed = (top.has_success && !top.success) || !top.error.empty();
  if (failed) {
    const std::string_view text = top.error.empty() ? std::string_view("request failed") : top.error;
    // Only a refused subscription refuses a symbol: a failed unsubscribe leaves it as it was.
    const bool refuses = top.method == "subscribe" && !symbol.empty();
    out.notices.push_back(notice(refuses ? Notice::Kind::rejected : Notice::Kind::error, symbol, text));
    return;
  }
  if (top.method == "subscribe" && top.result_channel == "book" && !symbol.empty()) {
    out.notices.push_back(notice(Notice::Kind::subscribed, symbol, {}));
  }
}

std::string_view on_book(const Top& top, ParsedFrame& out) {
  if (!top.has_data) return "book without data";
  if (top.type != "snapshot" && top.type != "update") return "book: type snapshot or update expected";
  for (BookMessage& msg : out.books) msg.snapshot = top.type == "snapshot";
  return {};
}

struct Hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

struct Parser::Impl {
  bool fast_path = true;
  json::Reader reader;
  std::unordered_map<std::string, Precision, Hash, std::equal_to<>> precisions;
  std::vector<LearnedPrecision> learned;  // an instrument frame's pairs, kept only if all of it reads

  std::string_view read_field(field& f, Top& top, ParsedFrame& out);
  std::string_view read_data(value v, Top& top, ParsedFrame& out);
  std::string_view finish(const Top& top, ParsedFrame& out);
};

std::string_view Parser::Impl::read_field(field& f, Top& top, ParsedFrame& out) {
  const json::od::raw_json_string key = f.key();
  value v = f.value();
  if (key == "channel") return read_text(v, "channel", top.channel);
  if (key == "type") return read_text(v, "type", top.type);
  if (key == "data") return read_data(v, top, out);
  if (key == "method") return read_text(v, "method", top.method);
  if (key == "success") return read_success(v, top);
  if (key == "error") return read_text(v, "error", top.error);
  if (key == "symbol") return read_text(v, "symbol", top.symbol);
  if (key == "result") return read_result(v, top);
  return {};
}

std::string_view Parser::Impl::read_data(value v, Top& top, ParsedFrame& out) {
  // Kraken names the channel first; without it the data cannot be told apart.
  if (top.channel.empty()) return "data before channel";
  top.has_data = true;
  if (top.channel == "book") return read_book_data(v, out);
  if (top.channel == "instrument") return read_instrument_data(v, learned);
  return {};
}

std::string_view Parser::Impl::finish(const Top& top, ParsedFrame& out) {
  if (top.channel == "book") return on_book(top, out);
  if (top.channel == "heartbeat") {
    out.notices.push_back(notice(Notice::Kind::heartbeat, {}, {}));
  } else if (top.channel == "instrument") {
    for (const LearnedPrecision& p : learned) precisions.insert_or_assign(std::string(p.symbol), p.precision);
  } else if (top.channel.empty() && !top.method.empty()) {
    on_method(top, out);
  }
  return {};
}

Parser::Parser(bool fast_path) : impl_(std::make_unique<Impl>()) { impl_->fast_path = fast_path; }
Parser::~Parser() = default;

std::string_view Parser::parse(std::string_view frame, ParsedFrame& out) {
  if (impl_->fast_path && parse_book_fast(frame, out)) return {};
  out.clear();
  impl_->learned.clear();
  Top top;
  const auto on_field = [&](field& f) { return impl_->read_field(f, top, out); };
  std::string_view err = json::read_object(impl_->reader, frame, on_field);
  if (err.empty()) err = impl_->finish(top, out);
  if (!err.empty()) out.clear();
  return err;
}

std::uint32_t Parser::checksum(std::string_view symbol, const OrderBook& book) const {
  const Precision* p = precision(symbol);
  return p != nullptr ? book_checksum(book, p->price, p->qty) : book_checksum(book, std::nullopt, std::nullopt);
}

const Precision* Parser::precision(std::string_view symbol) const {
  const auto it = impl_->precisions.find(symbol);
  return it == impl_->precisions.end() ? nullptr : &it->second;
}

}  // namespace wsbook::kraken
