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

std::string_view read_decimal(od::value v, DecimalText& out) {
  std::string_view text;
  od::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) return "malformed value";
  if (type == od::json_type::string) {
    if (v.get_string().get(text) != simdjson::SUCCESS) return "malformed string";
  } else if (type == od::json_type::number) {
    text = v.raw_json_token();
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' ||
                             text.back() == '\r')) {
      text.remove_suffix(1);
    }
  } else {
    return "number expected";
  }
  return parse_decimal(text, out);
}

std::string_view read_uint(od::value v, std::uint64_t& out) {
  if (v.get_uint64().get(out) != simdjson::SUCCESS) return "non-negative integer expected";
  return {};
}

std::string_view read_string(od::value v, std::string_view& out) {
  if (v.get_string().get(out) != simdjson::SUCCESS) return "string expected";
  return {};
}

}  // namespace wsbook::json
