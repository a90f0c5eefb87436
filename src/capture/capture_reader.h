#pragma once
// Internal: reads the lines of a capture back (capture_format.h writes them).

#include <simdjson.h>

#include <string>
#include <string_view>

#include "capture/capture_format.h"

namespace wsbook::capture {

/// Parses capture lines one at a time.
class Reader {
 public:
  /// Parses `line`: "" and sets `is_header` and `header` or `event`; else what is wrong with it.
  std::string parse(std::string_view line, bool& is_header, Header& header, Event& event);

 private:
  std::string parse_header(simdjson::dom::object o, Header& h);
  std::string parse_event(simdjson::dom::object o, Event& e);
  std::string parse_details(simdjson::dom::object o, Event& e);

  simdjson::dom::parser parser_;
};

}  // namespace wsbook::capture
