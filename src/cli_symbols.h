#pragma once
// Internal: the symbols of the command line, from --symbol lists and
// --symbols-file, each checked against the venue.

#include <string>
#include <vector>

#include "wsbook/venue.h"

namespace wsbook {

/// What the command line gives to build the symbol list from.
struct SymbolSources {
  std::vector<std::string> values;  ///< each --symbol value, a comma-separated list
  std::string file;                 ///< --symbols-file, "" for none
  const Venue* venue = nullptr;     ///< forms and duplicates are checked against it; nullptr: --raw
};

/// Fills `out` with the symbols of `sources`, in order (the file's after the
/// flags'); "" or the reason they cannot be crawled, naming the culprit.
std::string collect_symbols(const SymbolSources& sources, std::vector<std::string>& out);

}  // namespace wsbook
