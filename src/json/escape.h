#pragma once
// Internal: text into JSON strings, sixteen bytes at a time where it can:
// records, --fields and captures write them.

#include <cstddef>
#include <string>
#include <string_view>

namespace wsbook {

/// Appends `text` as a JSON string literal; invalid UTF-8 bytes become U+FFFD.
void append_json_string(std::string_view text, std::string& out);

/// Appends `text` (valid UTF-8) escaped as a JSON string body, without the quotes.
void append_escaped(std::string_view text, std::string& out);

}  // namespace wsbook
