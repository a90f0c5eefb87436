#pragma once
// Internal: the Coinbase Advanced Trade parser (`level2`, `heartbeats`,
// `subscriptions`, errors), apart from the venue so its tests reach it directly.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json/reader.h"
#include "wsbook/venue.h"

namespace wsbook::coinbase {


/// The first product-like token ("BTC-USD") in `text`, or "".
std::string_view find_product(std::string_view text);

/// Fills `out` from an `l2_data` frame in Coinbase's own layout, views pointing
/// into `frame`. True only when the general path gives the same `out`; false
/// ("not sure") for anything else, valid or not, and then `out` is unspecified.
bool parse_fast(std::string_view frame, ParsedFrame& out);

/// Parses the frames of one Advanced Trade connection.
class Parser final : public VenueParser {
 public:
  /// Without `fast_path`, only the general (simdjson) path, for the differential tests.
  explicit Parser(bool fast_path = true) : fast_path_(fast_path) {}

  /// Fills `out` from one frame; "" or a short reason.
  std::string_view parse(std::string_view frame, ParsedFrame& out) override;

  /// What the envelope said, gathered in one pass whatever the field order.
  struct Envelope;

 private:
  std::string_view finish(Envelope& env, ParsedFrame& out);
  std::string_view read_deferred(Envelope& env, ParsedFrame& out);
  std::string_view read_error(const Envelope& env, ParsedFrame& out);

  bool fast_path_;
  json::Reader reader_;
  // `events` before `channel`: kept as text and read once the channel is known.
  json::od::parser deferred_parser_;
  std::string deferred_buf_;
  std::string error_text_;
};

}  // namespace wsbook::coinbase
