#pragma once
// Internal: the capture feed that writes every frame as it came.

#include <memory>

#include "wsbook/feed.h"

namespace wsbook {

/// A feed writing `{"ts":<ms>,"frame":<frame>}` per frame: the frame as a JSON
/// value (minified onto one line) or, if it is not JSON, as a JSON string.
std::unique_ptr<Feed> make_raw_feed();

/// Appends `text` as a JSON string literal; invalid UTF-8 bytes become U+FFFD.
void append_json_string(std::string_view text, std::string& out);

}  // namespace wsbook
