// Product names in free text (an error that names the product it refuses).
#include "exchange/coinbase/coinbase_parser.h"

namespace wsbook::coinbase {
namespace {

bool word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// Upper-case letters and digits on both sides of exactly one '-'.
bool product_like(std::string_view t) {
  for (char c : t) {
    if (c >= 'a' && c <= 'z') return false;
  }
  const std::size_t dash = t.find('-');
  return dash != std::string_view::npos && dash > 0 && dash + 1 < t.size() &&
         t.find('-', dash + 1) == std::string_view::npos;
}

}  // namespace

std::string_view find_product(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !word_char(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && word_char(text[i])) ++i;
    // Whole words only: "Non-USD" or "xBTC-USD" are not products.
    if (const std::string_view word = text.substr(start, i - start); product_like(word)) return word;
  }
  return {};
}

}  // namespace wsbook::coinbase
