// libFuzzer: the Gemini v1 parser on arbitrary bytes. No crash, no sanitizer
// report, every accepted price and amount reads back exactly, and whatever the
// shape or the fast path takes the general (simdjson) path takes too, into the same frame.
// Inputs starting with a byte below 8 (never JSON) are recipes for a frame near
// the common shape instead (see v1_recipe.h).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "decimal_check.h"
#include "exchange/gemini/gemini_v1_fast.h"
#include "v1_recipe.h"
#include "wsbook/gemini.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static wsbook::GeminiV1Parser parser;
  static wsbook::GeminiV1GeneralParser general;
  static wsbook::V1Frame frame, shape_frame, fast_frame, general_frame;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string recipe_frame;
  if (size > 0 && data[0] < 8) {
    FuzzedDataProvider recipe(data + 1, size - 1);
    recipe_frame = wsbook::fuzz::V1Recipe(recipe).frame();
    bytes = recipe_frame;
  }
  if (wsbook::parse_v1_shape(bytes, shape_frame)) {
    if (!general.parse(bytes, general_frame).empty() || !(shape_frame == general_frame)) std::abort();
  }
  if (wsbook::parse_v1_fast(bytes, fast_frame)) {
    if (!general.parse(bytes, general_frame).empty() || !(fast_frame == general_frame)) std::abort();
  }
  if (parser.parse(bytes, frame).empty()) {
    for (const auto& c : frame.changes) wsbook::fuzz::check_decimal(c.price), wsbook::fuzz::check_decimal(c.amount);
    for (const auto& t : frame.trades) wsbook::fuzz::check_decimal(t.price), wsbook::fuzz::check_decimal(t.amount);
  }
  return 0;
}
