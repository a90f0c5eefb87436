#pragma once
// `wsbook check` on what a test made wsbook write: every file the suite writes must pass it.

#include <string>
#include <string_view>

namespace wsbook::testing {

/// What `wsbook check` finds in `text` read as the file `name`: "" if nothing, else its report in words.
std::string check_findings(const std::string& name, std::string_view text);

}  // namespace wsbook::testing
