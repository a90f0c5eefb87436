#pragma once
// Internal: the JSON readers Binance's stream events and REST replies share.

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json/fields.h"
#include "wsbook/venue.h"

namespace wsbook::binance {

/// Fills `out` from the reply to a `/depth` GET of `symbol` (see VenueParser::parse_snapshot);
/// `text` holds an error notice's words. "" or why the reply is malformed.
std::string_view parse_snapshot_reply(json::Reader& reader, int http_status, std::string_view body,
                                      std::string_view symbol, ParsedFrame& out, std::string& text);

}  // namespace wsbook::binance
