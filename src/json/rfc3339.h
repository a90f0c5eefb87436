#pragma once
// Internal: RFC 3339 times as the venues send them ("2023-02-09T20:32:50.714964855Z").

#include <cstdint>
#include <optional>
#include <string_view>

namespace wsbook::json {

/// Unix milliseconds of an RFC 3339 time (`Z` or `+hh:mm`, any number of
/// fraction digits, truncated to the millisecond), exactly; nullopt if it is not one.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);

}  // namespace wsbook::json
