#pragma once
// Kraken's book checksum: CRC32 of the ten best asks then the ten best bids,
// each price and quantity as the venue spells it, '.' and leading zeros removed.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wsbook/order_book.h"

namespace wsbook::kraken {

/// Levels per side the checksum covers.
inline constexpr std::size_t kChecksumLevels = 10;

/// Kraken's checksum of `book`; a level's text is padded with zeros to the pair's
/// precision where it is known and the venue's own text is shorter.
std::uint32_t book_checksum(const OrderBook& book, std::optional<int> price_precision,
                            std::optional<int> qty_precision);

/// The text book_checksum() hashes, for tests and logs.
std::string checksum_text(const OrderBook& book, std::optional<int> price_precision,
                          std::optional<int> qty_precision);

/// Appends one number's checksum text: `text` plus `trimmed` chars of the venue's
/// own tail, at `precision` fraction digits if longer, '.' and leading zeros removed.
void append_number(std::string& out, std::string_view text, std::size_t trimmed, std::optional<int> precision);

}  // namespace wsbook::kraken
