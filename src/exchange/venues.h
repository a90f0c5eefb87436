#pragma once
// Internal: each venue's one instance, defined in its own folder.

#include "wsbook/venue.h"

namespace wsbook {

/// Gemini v1 (`/v1/marketdata/{symbol}`): one symbol per connection, socket_sequence.
const Venue& gemini_venue();
/// Gemini v2 (`/v2/marketdata`, `l2`): many symbols, no sequence numbers.
const Venue& gemini_v2_venue();
/// Coinbase Advanced Trade `level2` + `heartbeats`.
const Venue& coinbase_venue();
/// Kraken v2 `book`.
const Venue& kraken_venue();
/// OKX v5 public `books`.
const Venue& okx_venue();
/// Bybit v5 `orderbook.{depth}.{symbol}` (spot by default).
const Venue& bybit_venue();
/// Binance spot `<symbol>@depth@100ms`, books from REST `/api/v3/depth`.
const Venue& binance_venue();
/// Binance USD-M futures `<symbol>@depth@100ms`, books from REST `/fapi/v1/depth`.
const Venue& binance_futures_venue();

}  // namespace wsbook
