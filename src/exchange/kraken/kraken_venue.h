#pragma once
// Internal: the frames Kraken v2 is sent, for tests.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wsbook::kraken {

/// The Kraken `book` depth that covers `depth` levels: the smallest Kraken offers not below it, else its largest.
std::size_t book_depth(std::size_t depth);

/// A `book` subscribe or unsubscribe (`method`) for `symbols` at book_depth(depth).
std::string book_request(std::string_view method, const std::vector<std::string>& symbols, std::size_t depth);

/// The `instrument` subscribe that brings each pair's precisions.
std::string instrument_request();

}  // namespace wsbook::kraken
