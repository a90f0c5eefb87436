// libFuzzer: both Gemini parsers on arbitrary bytes. No crash, no sanitizer
// report, and every accepted decimal's canonical text reads back to its value.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wsbook/gemini.h"

namespace {

void check_decimal(const wsbook::DecimalText& d) {
  wsbook::DecimalText again;
  if (!wsbook::parse_decimal(d.text, again).empty() || !(again.value == d.value) || again.text != d.text) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static wsbook::GeminiV1Parser v1;
  static wsbook::GeminiV2Parser v2;
  static wsbook::V1Frame frame;
  static wsbook::V2Message msg;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (v1.parse(input, frame).empty()) {
    for (const auto& c : frame.changes) check_decimal(c.price), check_decimal(c.amount);
  }
  if (v2.parse(input, msg).empty()) {
    for (const auto& c : msg.changes) check_decimal(c.price), check_decimal(c.amount);
  }
  return 0;
}
