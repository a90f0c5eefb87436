// The `data` of Kraken v2's `book` and `instrument` channels.
#include "exchange/kraken/kraken_data.h"
#include "json/rfc3339.h"

#include <limits>

namespace wsbook::kraken {
namespace {

using json::od::array;
using json::od::field;
using json::od::object;
using json::od::value;

// Wider than any pair Kraken lists; a bound keeps padding small.
constexpr std::uint64_t kMaxPrecision = 30;

// One {"price":..,"qty":..} level.
std::string_view read_level(value v, Side side, std::vector<BookChange>& out) {
  object level;
  if (v.get_object().get(level) != simdjson::SUCCESS) return json::type_error("level", "object", v);
  BookChange c;
  c.side = side;
  bool price = false, qty = false;
  for (auto item : level) {
    field f;
    if (std::move(item).get(f) != simdjson::SUCCESS) return "malformed level";
    std::string_view err;
    if (f.key() == "price") price = true, err = json::read_decimal_number(f.value(), c.price, "price");
    else if (f.key() == "qty") qty = true, err = json::read_decimal_number(f.value(), c.amount, "qty");
    if (!err.empty()) return err;
  }
  if (!price) return "level without price";
  if (!qty) return "level without qty";
  out.push_back(c);
  return {};
}

std::string_view read_levels(value v, Side side, std::string_view name, std::vector<BookChange>& out) {
  array levels;
  if (v.get_array().get(levels) != simdjson::SUCCESS) return json::type_error(name, "array", v);
  for (auto item : levels) {
    value level;
    if (std::move(item).get(level) != simdjson::SUCCESS) return "malformed levels";
    if (auto err = read_level(level, side, out); !err.empty()) return err;
  }
  return {};
}

std::string_view read_checksum(value v, std::optional<std::uint32_t>& out) {
  json::od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS || type != json::od::json_type::number) {
    return json::type_error("checksum", "number", v);
  }
  std::uint64_t n = 0;
  if (v.get_uint64().get(n) != simdjson::SUCCESS || n > std::numeric_limits<std::uint32_t>::max()) {
    return "checksum: not a 32-bit unsigned integer";
  }
  out = static_cast<std::uint32_t>(n);
  return {};
}

std::string_view read_timestamp(value v, std::optional<std::int64_t>& out) {
  std::string_view text;
  if (v.get_string().get(text) != simdjson::SUCCESS) return json::type_error("timestamp", "string", v);
  out = json::parse_rfc3339_ms(text);
  return out ? std::string_view{} : "timestamp: not an RFC 3339 time";
}

std::string_view read_book_field(field& f, BookMessage& msg, ParsedFrame& out) {
  const json::od::raw_json_string key = f.key();
  value v = f.value();
  if (key == "symbol") {
    if (v.get_string().get(msg.symbol) != simdjson::SUCCESS) return json::type_error("symbol", "string", v);
    return {};
  }
  if (key == "bids") return read_levels(v, Side::bid, "bids", out.changes);
  if (key == "asks") return read_levels(v, Side::ask, "asks", out.changes);
  if (key == "checksum") return read_checksum(v, msg.checksum);
  if (key == "timestamp") return read_timestamp(v, msg.exchange_ms);
  return {};
}

// One {"symbol":..,"bids":[..],"asks":[..],"checksum":..,"timestamp":..}.
std::string_view read_book(value v, ParsedFrame& out) {
  object book;
  if (v.get_object().get(book) != simdjson::SUCCESS) return json::type_error("book data", "object", v);
  BookMessage msg;
  msg.first_change = out.changes.size();
  for (auto item : book) {
    field f;
    if (std::move(item).get(f) != simdjson::SUCCESS) return "malformed book data";
    if (auto err = read_book_field(f, msg, out); !err.empty()) return err;
  }
  if (msg.symbol.empty()) return "book data without symbol";
  msg.end_change = out.changes.size();
  out.books.push_back(msg);
  return {};
}

std::string_view read_precision(value v, std::string_view name, std::optional<int>& out) {
  json::od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS || type != json::od::json_type::number) {
    return json::type_error(name, "number", v);
  }
  std::uint64_t n = 0;
  if (v.get_uint64().get(n) != simdjson::SUCCESS || n > kMaxPrecision) return "precision out of range";
  out = static_cast<int>(n);
  return {};
}

// One pair of the instrument list: its symbol and precisions; the rest is not ours.
std::string_view read_pair(value v, std::vector<LearnedPrecision>& out) {
  object pair;
  if (v.get_object().get(pair) != simdjson::SUCCESS) return json::type_error("pair", "object", v);
  LearnedPrecision p;
  for (auto item : pair) {
    field f;
    if (std::move(item).get(f) != simdjson::SUCCESS) return "malformed pair";
    std::string_view err;
    const json::od::raw_json_string key = f.key();
    value v = f.value();
    if (key == "symbol") {
      if (v.get_string().get(p.symbol) != simdjson::SUCCESS) err = json::type_error("pair symbol", "string", v);
    } else if (key == "price_precision") {
      err = read_precision(v, "price_precision", p.precision.price);
    } else if (key == "qty_precision") {
      err = read_precision(v, "qty_precision", p.precision.qty);
    }
    if (!err.empty()) return err;
  }
  if (p.symbol.empty()) return "pair without symbol";
  out.push_back(p);
  return {};
}

std::string_view read_pairs(value v, std::vector<LearnedPrecision>& out) {
  array pairs;
  if (v.get_array().get(pairs) != simdjson::SUCCESS) return json::type_error("pairs", "array", v);
  for (auto item : pairs) {
    value pair;
    if (std::move(item).get(pair) != simdjson::SUCCESS) return "malformed pairs";
    if (auto err = read_pair(pair, out); !err.empty()) return err;
  }
  return {};
}

}  // namespace

std::string_view read_book_data(value v, ParsedFrame& out) {
  array data;
  if (v.get_array().get(data) != simdjson::SUCCESS) return json::type_error("data", "array", v);
  for (auto item : data) {
    value book;
    if (std::move(item).get(book) != simdjson::SUCCESS) return "malformed data";
    if (auto err = read_book(book, out); !err.empty()) return err;
  }
  return {};
}

std::string_view read_instrument_data(value v, std::vector<LearnedPrecision>& out) {
  object data;
  if (v.get_object().get(data) != simdjson::SUCCESS) return json::type_error("data", "object", v);
  for (auto item : data) {
    field f;
    if (std::move(item).get(f) != simdjson::SUCCESS) return "malformed data";
    if (f.key() == "pairs") {
      if (auto err = read_pairs(f.value(), out); !err.empty()) return err;
    }
  }
  return {};
}

}  // namespace wsbook::kraken
