#pragma once
// Binance spot and USD-M futures as our test exchange speaks them: combined
// stream `depthUpdate` events, each covering a few update ids [U, u] (futures
// also naming the previous event's u as `pu`), and the REST `/depth` reply of
// the true book with its `lastUpdateId`. Written apart from wsbook's src/.

#include <memory>
#include <string>
#include <vector>

#include "support/venue_book.h"

namespace wsbook::testing {

/// A REST snapshot taken in the middle of one event, and that event.
struct Straddle {
  std::string snapshot;  ///< the REST body; its lastUpdateId lies in [U, u - 1] of `event`
  std::string event;     ///< the whole event, covering the snapshot's id and the ids after it
};

/// Binance's books: updates in the stream, snapshots over REST. A symbol's
/// states are muted from the start and after a fault until its next snapshot():
/// wsbook writes nothing of a book it has not bridged.
class BinanceServer : public VenueServer {
 public:
  using VenueServer::VenueServer;

  /// The REST path of snapshots: "/api/v3/depth" (spot) or "/fapi/v1/depth".
  virtual std::string depth_path() const = 0;
  /// The stream name of `symbol`: "btcusdt@depth@100ms".
  virtual std::string stream_name(const std::string& symbol) const = 0;
  /// The REST body of `symbol`'s current book, neither remembered nor unmuting.
  virtual std::string rest_body(const std::string& symbol) = 0;
  /// The last update id `symbol`'s true book holds.
  virtual std::int64_t last_id(const std::string& symbol) const = 0;
  /// An event of `first` then `rest` with a snapshot between them; remembers
  /// both states (unless muted). `rest` must not be empty.
  virtual Straddle straddle(const std::string& symbol, const std::vector<LevelChange>& first,
                            const std::vector<LevelChange>& rest) = 0;
  /// Updates of `symbol` the venue made but wsbook never sees (before it subscribed): ids go on.
  virtual void unseen_updates(const std::string& symbol, std::uint32_t& rng) = 0;
};

/// Binance spot (`binance`: U == previous u + 1) or USD-M futures (`binance-futures`:
/// `pu` == previous u, and U may leave ids out between events).
std::unique_ptr<BinanceServer> make_binance_server(const std::vector<std::string>& symbols, std::size_t depth,
                                                   bool futures);

}  // namespace wsbook::testing
