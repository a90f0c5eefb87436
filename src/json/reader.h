#pragma once
// Internal: simdjson on-demand plumbing shared by the feed parsers. Only the
// parsers' .cpp files include this, so simdjson stays out of public headers.

#include <simdjson.h>

#include <string>
#include <string_view>

#include "wsbook/decimal.h"

namespace wsbook::json {

namespace od = simdjson::ondemand;

/// Owns a padded copy of the frame and the on-demand parser state.
class Reader {
 public:
  /// Starts reading a frame whose root must be an object; "" or a reason.
  std::string_view open(std::string_view frame, od::object& root);
  /// "" if nothing but whitespace follows the root value, else a reason.
  std::string_view finish();

 private:
  od::parser parser_;
  od::document doc_;
  std::string buf_;
};

/// Reads a frame whose root is an object: calls `on_field(field)` for each
/// top-level field in order, then checks nothing follows; "" or the first reason.
template <class OnField>
std::string_view read_object(Reader& reader, std::string_view frame, OnField&& on_field) {
  od::object root;
  if (auto err = reader.open(frame, root); !err.empty()) return err;
  for (auto item : root) {
    od::field field;
    if (std::move(item).get(field) != simdjson::SUCCESS) return "malformed JSON";
    if (auto err = on_field(field); !err.empty()) return err;
  }
  return reader.finish();
}

/// The JSON type of `v` in words ("number", "string", ...), for error reasons.
std::string_view type_name(od::value v);

/// "<field>: <expected> expected, got <type of v>". The text is interned, so it
/// stays valid for the life of the process; the distinct texts are bounded by the
/// parsers' field names.
std::string_view type_error(std::string_view field, std::string_view expected, od::value v);

/// A decimal that the venue sends as a JSON string ("9405.80"): any other JSON
/// type is malformed, named by `field`; "" or a reason.
// Inline, like the rest of simdjson's on-demand API: as out-of-line calls
// taking values by copy they cost a third of the parse.
inline std::string_view read_decimal_string(od::value v, DecimalText& out, std::string_view field) {
  std::string_view text;
  if (v.get_string().get(text) != simdjson::SUCCESS) return type_error(field, "string", v);
  return parse_decimal(text, out);
}

/// A decimal that the venue sends as a JSON number (Kraken v2: `0.5666`): the
/// number's own text, never a double; any other JSON type is malformed.
inline std::string_view read_decimal_number(od::value v, DecimalText& out, std::string_view field) {
  od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS || type != od::json_type::number) {
    return type_error(field, "number", v);
  }
  std::string_view text = v.raw_json_token();
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' ||
                           text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return parse_decimal(text, out);
}

/// A non-negative integer (socket_sequence, eventId, tid); "" or a reason.
inline std::string_view read_uint(od::value v, std::uint64_t& out) {
  if (v.get_uint64().get(out) != simdjson::SUCCESS) return "non-negative integer expected";
  return {};
}

/// A string; "" or a reason.
inline std::string_view read_string(od::value v, std::string_view& out) {
  if (v.get_string().get(out) != simdjson::SUCCESS) return "string expected";
  return {};
}

}  // namespace wsbook::json
