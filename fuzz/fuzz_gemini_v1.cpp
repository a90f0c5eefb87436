// libFuzzer: the Gemini v1 parser on arbitrary bytes. No crash, no sanitizer
// report, and every accepted price and amount reads back exactly.
#include <cstdint>
#include <string_view>

#include "decimal_check.h"
#include "wsbook/gemini.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static wsbook::GeminiV1Parser parser;
  static wsbook::V1Frame frame;
  if (parser.parse({reinterpret_cast<const char*>(data), size}, frame).empty()) {
    for (const auto& c : frame.changes) wsbook::fuzz::check_decimal(c.price), wsbook::fuzz::check_decimal(c.amount);
    for (const auto& t : frame.trades) wsbook::fuzz::check_decimal(t.price), wsbook::fuzz::check_decimal(t.amount);
  }
  return 0;
}
