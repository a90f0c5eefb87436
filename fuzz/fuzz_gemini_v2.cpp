// libFuzzer: the Gemini v2 parser on arbitrary bytes. No crash, no sanitizer
// report, and every accepted price and amount reads back exactly.
#include <cstdint>
#include <string_view>

#include "decimal_check.h"
#include "wsbook/gemini.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static wsbook::GeminiV2Parser parser;
  static wsbook::V2Message msg;
  if (parser.parse({reinterpret_cast<const char*>(data), size}, msg).empty()) {
    for (const auto& c : msg.changes) wsbook::fuzz::check_decimal(c.price), wsbook::fuzz::check_decimal(c.amount);
  }
  return 0;
}
