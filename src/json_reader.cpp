#include "json_reader.h"

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

}  // namespace wsbook::json
