#pragma once
// Internal: the Gemini v1 parser's three paths apart. GeminiV1Parser tries the
// shape path (Gemini's exact layout) first, then the fast path (any key order
// and spacing), then the general (simdjson) path; tests and the fuzzer run each
// path alone to check they agree.

#include <cstdint>
#include <memory>
#include <string_view>

#include "wsbook/gemini.h"

namespace wsbook {

namespace json {
class Reader;
}

/// Fills `out` from a frame of the common shape, its text views pointing into
/// `frame`. True only when the general path gives the same `out`; false ("not
/// sure") for anything unusual, valid or not, and then `out` is unspecified.
bool parse_v1_fast(std::string_view frame, V1Frame& out);

/// Like parse_v1_fast, for frames in the layout Gemini sends: heartbeats, and
/// updates of changes and trades with its key order; most spaces send a frame elsewhere.
bool parse_v1_shape(std::string_view frame, V1Frame& out);

/// The general path alone: simdjson on-demand, any valid frame, every error reason.
class GeminiV1GeneralParser {
 public:
  GeminiV1GeneralParser();
  ~GeminiV1GeneralParser();
  /// Same contract as GeminiV1Parser::parse.
  std::string_view parse(std::string_view frame, V1Frame& out);

 private:
  std::unique_ptr<json::Reader> reader_;
};

/// Empties `out` for the next frame.
void reset_v1_frame(V1Frame& out);

/// An event's fields as read, in any order; both paths judge them with add_v1_event.
struct V1RawEvent {
  std::string_view type, side, reason, maker_side;
  DecimalText price, remaining, amount;
  std::string_view price_err = "missing price", remaining_err = "missing remaining",
                   amount_err = "missing amount";
  std::uint64_t tid = 0;
  bool has_tid = false;
};

/// Sets the frame's initial or top-of-book flag if a change's `reason` says so.
void note_v1_reason(std::string_view reason, V1Frame& out);

/// A trade's `makerSide` text as a MakerSide (unknown for anything else).
MakerSide v1_maker_side(std::string_view text);

/// Adds a change or a trade to `out`, or counts another type as skipped; "" or a reason.
std::string_view add_v1_event(const V1RawEvent& e, V1Frame& out);

}  // namespace wsbook
