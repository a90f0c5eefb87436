#pragma once
// Internal: OKX v5 `books` apart from its Venue, for the tests and the fuzzer:
// the parser, and the checksum of a book over the venue's own level texts.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "wsbook/order_book.h"
#include "wsbook/venue.h"

namespace wsbook {

/// Levels per side the OKX checksum covers.
inline constexpr std::size_t kOkxChecksumDepth = 25;

/// A new parser of OKX v5 public frames (`books` data, events, "pong").
std::unique_ptr<VenueParser> make_okx_parser();


/// The text OKX hashes: `bid1px:bid1sz:ask1px:ask1sz:bid2px:...` over the best
/// kOkxChecksumDepth of each side, in the venue's own spelling.
std::string okx_checksum_text(const OrderBook& book);

/// OKX's checksum of `book`: the uint32 bit pattern of the signed CRC the venue sends.
std::uint32_t okx_book_checksum(const OrderBook& book);

}  // namespace wsbook
