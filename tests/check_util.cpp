#include "check_util.h"

#include "check/check.h"
#include "check/report.h"

namespace wsbook::testing {

std::string check_findings(const std::string& name, std::string_view text) {
  const check::FileReport report = check::check_text(name, text);
  if (check::finding_count(report) == 0) return {};
  std::string words;
  check::append_text(report, words);
  return words;
}

}  // namespace wsbook::testing
