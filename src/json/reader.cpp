#include "json/reader.h"

#include <mutex>
#include <set>
#include <string>

namespace wsbook::json {

std::string_view Reader::open(std::string_view frame, od::object& root) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: copy into a buffer
  // that has them, reusing its capacity from frame to frame.
  buf_.assign(frame);
  buf_.append(simdjson::SIMDJSON_PADDING, '\0');
  simdjson::padded_string_view in(buf_.data(), frame.size(), buf_.size());
  if (parser_.iterate(in).get(doc_) != simdjson::SUCCESS) return "not JSON";
  if (doc_.get_object().get(root) != simdjson::SUCCESS) return "not a JSON object";
  return {};
}

std::string_view Reader::finish() {
  const char* where = nullptr;
  // At the end of the document simdjson reports OUT_OF_BOUNDS: anything else
  // means content follows the root object.
  if (doc_.current_location().get(where) != simdjson::OUT_OF_BOUNDS) return "trailing content";
  return {};
}

std::string_view type_name(od::value v) {
  od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) return "malformed JSON";
  switch (type) {
    case od::json_type::array: return "array";
    case od::json_type::object: return "object";
    case od::json_type::number: return "number";
    case od::json_type::string: return "string";
    case od::json_type::boolean: return "boolean";
    case od::json_type::null: return "null";
  }
  return "unknown type";
}

std::string_view type_error(std::string_view field, std::string_view expected, od::value v) {
  // A set's nodes never move, so a view into one stays valid; errors are rare
  // and their texts few, so the lock and the lookup cost nothing that matters.
  static std::mutex mutex;
  static std::set<std::string, std::less<>> texts;
  std::string text = std::string(field) + ": " + std::string(expected) + " expected, got " + std::string(type_name(v));
  std::lock_guard lock(mutex);
  return *texts.insert(std::move(text)).first;
}

}  // namespace wsbook::json
