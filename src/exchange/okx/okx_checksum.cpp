// OKX's book checksum: CRC-32 of the best levels of both sides, interleaved,
// in the venue's own spelling of each price and size.
#include <array>

#include "book/crc32.h"
#include "exchange/okx/okx.h"

namespace wsbook {
namespace {

// The canonical text and then what the venue's spelling had more: a text
// without '.' lost the '.' and the zeros after it, one with '.' only zeros.
template <class Emit>
void emit_venue_text(std::string_view canonical, std::uint8_t trimmed, Emit& emit) {
  emit(canonical);
  if (trimmed == 0) return;
  std::size_t zeros = trimmed;
  if (canonical.find('.') == std::string_view::npos) emit(std::string_view(".")), --zeros;
  for (; zeros > 0; --zeros) emit(std::string_view("0"));
}

template <class Emit>
void emit_level(const Level& level, bool first, Emit& emit) {
  if (!first) emit(std::string_view(":"));
  emit_venue_text(level.price_text(), level.price_trimmed, emit);
  emit(std::string_view(":"));
  emit_venue_text(level.amount_text(), level.amount_trimmed, emit);
}

// Calls emit(piece) for each piece of the checksum text, in order.
template <class Emit>
void for_each_checksum_piece(const OrderBook& book, Emit&& emit) {
  std::array<const Level*, kOkxChecksumDepth> bids{}, asks{};
  std::size_t n_bids = 0, n_asks = 0;
  book.for_each_top(Side::bid, kOkxChecksumDepth, [&](const Decimal&, const Level& l) { bids[n_bids++] = &l; });
  book.for_each_top(Side::ask, kOkxChecksumDepth, [&](const Decimal&, const Level& l) { asks[n_asks++] = &l; });
  bool first = true;
  for (std::size_t i = 0; i < kOkxChecksumDepth; ++i) {
    if (i < n_bids) emit_level(*bids[i], first, emit), first = false;
    if (i < n_asks) emit_level(*asks[i], first, emit), first = false;
  }
}

}  // namespace

std::string okx_checksum_text(const OrderBook& book) {
  std::string text;
  for_each_checksum_piece(book, [&](std::string_view piece) { text += piece; });
  return text;
}

std::uint32_t okx_book_checksum(const OrderBook& book) {
  std::uint32_t crc = 0;
  for_each_checksum_piece(book, [&](std::string_view piece) { crc = crc32(piece, crc); });
  return crc;
}

}  // namespace wsbook
