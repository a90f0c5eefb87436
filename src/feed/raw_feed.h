#pragma once
// Internal: the capture feed that writes every frame as it came.

#include <string>

#include "wsbook/feed.h"

namespace wsbook {

/// Appends `text` as a JSON string literal; invalid UTF-8 bytes become U+FFFD.
void append_json_string(std::string_view text, std::string& out);

}  // namespace wsbook
