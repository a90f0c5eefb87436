#pragma once
// The output line: `{"bids":[[price,amount],...],"asks":[...],"ts":<unix ms>}`.
// Built by appending pre-rendered level text, without a JSON DOM.

#include <cstddef>
#include <cstdint>
#include <string>

#include "wsbook/order_book.h"

namespace wsbook {

/// Appends the book part `{"bids":[...],"asks":[...]` (no ts, no closing brace).
void append_book_json(const OrderBook& book, std::size_t depth, std::string& out);

/// Appends `,"ts":<ts_ms>}\n`, closing a line started by append_book_json.
void append_ts_and_end(std::int64_t ts_ms, std::string& out);

/// Appends one whole snapshot line of the best `depth` levels per side.
void append_snapshot_line(const OrderBook& book, std::size_t depth, std::int64_t ts_ms,
                          std::string& out);

}  // namespace wsbook
