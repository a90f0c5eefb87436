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

/// A new parser of OKX v5 public frames (`books` data, events, "pong"); without
/// `fast_path` only the general (simdjson) path, for the differential tests.
std::unique_ptr<VenueParser> make_okx_parser(bool fast_path = true);

/// Fills `out` from a `books` frame in OKX's own layout, views pointing into
/// `frame`. True only when the general path gives the same `out`; false ("not
/// sure") for anything else, valid or not, and then `out` is unspecified.
bool parse_okx_fast(std::string_view frame, ParsedFrame& out);

/// The text OKX hashes: `bid1px:bid1sz:ask1px:ask1sz:bid2px:...` over the best
/// kOkxChecksumDepth of each side, in the venue's own spelling.
std::string okx_checksum_text(const OrderBook& book);

/// OKX's checksum of `book`: the uint32 bit pattern of the signed CRC the venue sends.
std::uint32_t okx_book_checksum(const OrderBook& book);

}  // namespace wsbook
