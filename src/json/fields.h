#pragma once
// Internal: fields several venues send alike, read strictly: named strings,
// non-negative ids, and `[["price","amount"],...]` level arrays (Bybit, Binance).

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

#include "json/reader.h"
#include "wsbook/order_book.h"

namespace wsbook::json {

/// A string field called `field`; "" or why not.
inline std::string_view read_string_field(od::value v, std::string_view& out, std::string_view field) {
  if (v.get_string().get(out) != simdjson::SUCCESS) return type_error(field, "string", v);
  return {};
}

/// An id or a time: a non-negative JSON integer that fits an int64.
inline std::string_view read_id(od::value v, std::optional<std::int64_t>& out, std::string_view field) {
  std::uint64_t n = 0;
  if (v.get_uint64().get(n) != simdjson::SUCCESS ||
      n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return type_error(field, "non-negative integer", v);
  }
  out = static_cast<std::int64_t>(n);
  return {};
}

/// One ["0.0024","10"] level: both decimals as JSON strings, exactly two fields;
/// `amount_field` names the second in errors ("size", "quantity").
inline std::string_view read_pair_level(od::value v, BookChange& c, std::string_view amount_field) {
  od::array pair;
  if (v.get_array().get(pair) != simdjson::SUCCESS) return type_error("level", "array", v);
  std::size_t n = 0;
  for (auto item : pair) {
    od::value field;
    if (std::move(item).get(field) != simdjson::SUCCESS) return "malformed level";
    std::string_view err = "level has more than 2 fields";
    if (n == 0) err = read_decimal_string(field, c.price, "price");
    else if (n == 1) err = read_decimal_string(field, c.amount, amount_field);
    if (!err.empty()) return err;
    ++n;
  }
  return n == 2 ? std::string_view{} : "level has fewer than 2 fields";
}

/// Every level of one side (the array called `field`), appended to `out` in the venue's order.
inline std::string_view read_pair_levels(od::value v, Side side, std::string_view field, std::string_view amount_field,
                                         std::vector<BookChange>& out) {
  od::array levels;
  if (v.get_array().get(levels) != simdjson::SUCCESS) return type_error(field, "array", v);
  for (auto item : levels) {
    od::value level;
    if (std::move(item).get(level) != simdjson::SUCCESS) return "malformed levels";
    BookChange& c = out.emplace_back();
    c.side = side;
    if (auto err = read_pair_level(level, c, amount_field); !err.empty()) return err;
  }
  return {};
}

}  // namespace wsbook::json
