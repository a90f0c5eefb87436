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

/// A decimal from a JSON string ("9405.80") or number; "" or a reason.
std::string_view read_decimal(od::value v, DecimalText& out);

/// A non-negative integer (socket_sequence, eventId, tid); "" or a reason.
std::string_view read_uint(od::value v, std::uint64_t& out);

/// A string; "" or a reason.
std::string_view read_string(od::value v, std::string_view& out);

}  // namespace wsbook::json
