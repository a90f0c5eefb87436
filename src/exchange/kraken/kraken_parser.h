#pragma once
// Internal: the Kraken v2 parser, declared here so that tests can drive it and
// read what it learned from the `instrument` channel.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "wsbook/venue.h"

namespace wsbook::kraken {

/// The req_id of the `instrument` subscription, so its answers are told from the book's.
inline constexpr int kInstrumentReqId = 1;
/// The req_id of the `book` subscription.
inline constexpr int kBookReqId = 2;

/// The decimals a pair's prices and quantities have (`instrument` channel).
struct Precision {
  std::optional<int> price;  ///< price_precision
  std::optional<int> qty;    ///< qty_precision
};

/// Fills `out` from a `book` frame in Kraken's own layout, views pointing into
/// `frame`. True only when the general path gives the same `out`; false ("not
/// sure") for anything else, valid or not, and then `out` is unspecified.
bool parse_book_fast(std::string_view frame, ParsedFrame& out);

/// Kraken v2: `book` snapshots and updates, `instrument` precisions, heartbeats,
/// pongs and subscription answers. One per connection.
class Parser final : public VenueParser {
 public:
  /// A parser that knows no precision yet; without `fast_path`, only the general
  /// (simdjson) path, for the differential tests.
  explicit Parser(bool fast_path = true);
  ~Parser() override;
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  /// Fills `out` from one frame; "" or a reason.
  std::string_view parse(std::string_view frame, ParsedFrame& out) override;
  /// Kraken's CRC32 of `book`, at the precisions learned for `symbol`.
  std::uint32_t checksum(std::string_view symbol, const OrderBook& book) const override;
  /// What the `instrument` channel said of `symbol`; nullptr if nothing.
  const Precision* precision(std::string_view symbol) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wsbook::kraken
