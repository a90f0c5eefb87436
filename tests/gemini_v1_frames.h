#pragma once
// Gemini v1 frames the parser's tests build: a heartbeat, and updates around given events.

#include <string>
#include <string_view>

namespace wsbook::testing {

/// A heartbeat with socket_sequence 7.
inline constexpr std::string_view kV1Heartbeat = R"({"type":"heartbeat","socket_sequence":7})";

/// An update frame with the given events array body.
inline std::string update_with_events(std::string_view events) {
  return R"({"type":"update","eventId":42,"socket_sequence":3,"events":[)" + std::string(events) + "]}";
}

/// An update frame with one change event whose price field is `price_json`.
inline std::string change_with_price(std::string_view price_json) {
  return update_with_events(R"({"type":"change","side":"bid","price":)" + std::string(price_json) +
                            R"(,"remaining":"1","delta":"1","reason":"place"})");
}

}  // namespace wsbook::testing
