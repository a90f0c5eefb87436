#pragma once
// Internal: which symbols go on which connection, under the venue's limits.

#include <string>
#include <vector>

#include "wsbook/venue.h"

namespace wsbook {

/// The symbols of each connection, in the order given: at most the venue's
/// symbols_per_connection() each, and one each where `url` names the symbol.
std::vector<std::vector<std::string>> plan_connections(const Venue& venue, const std::vector<std::string>& symbols,
                                                       const std::string& url);

}  // namespace wsbook
