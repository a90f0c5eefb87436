// Binance `<symbol>@depth@100ms` on the combined stream and `/depth` over REST,
// as our test exchange speaks them: levels as [price, quantity] strings with 8
// decimals, each event covering 1 to 4 update ids of its symbol (futures: with
// ids of other symbols left out between events, and `pu`), and the REST
// snapshot of the whole true book at its lastUpdateId.
#include <initializer_list>
#include <map>
#include <string_view>

#include "support/venue_book_binance.h"

namespace wsbook::testing {
namespace {

constexpr std::int64_t kEpochMs = 1700000000000;

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The parts joined: no `"literal" + std::string` temporaries, on which g++ 12 warns falsely (-Wrestrict).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const std::string_view p : parts) out.append(p);
  return out;
}

// Appends `item` to a JSON list's text.
void add(std::string& list, std::string_view item) {
  if (!list.empty()) list += ',';
  list.append(item);
}

std::string level(std::int64_t cents, std::int64_t milli) {
  return cat({R"([")", fixed_decimals(cents, 2, 8), R"(",")", fixed_decimals(milli, 3, 8), R"("])"});
}

template <class Map>
std::string levels(const Map& side) {
  std::string out;
  for (const auto& [cents, milli] : side) add(out, level(cents, milli));
  return out;
}

// The "b" and "a" texts of a list of changes, in the order given.
std::pair<std::string, std::string> change_texts(const std::vector<LevelChange>& changes) {
  std::string bids, asks;
  for (const LevelChange& c : changes) {
    add(c.side == TrueSide::bid ? bids : asks, level(c.cents, c.milli));
  }
  return {bids, asks};
}

class Binance final : public BinanceServer {
 public:
  Binance(const std::vector<std::string>& symbols, std::size_t depth, bool futures)
      : BinanceServer(symbols, depth, 0), futures_(futures) {
    std::int64_t base = 4'100'000'000;
    for (const std::string& s : symbols) {
      last_[s] = base += 7'000'000;
      book(s).mute(true);  // nothing is a line before the first snapshot
    }
  }

  std::string name() const override { return futures_ ? "binance-futures" : "binance"; }
  std::string depth_path() const override { return futures_ ? "/fapi/v1/depth" : "/api/v3/depth"; }
  std::string stream_name(const std::string& symbol) const override { return lower(symbol) + "@depth@100ms"; }
  void new_connection() override { request_id_ = 0; }

  // SUBSCRIBE and UNSUBSCRIBE are answered alike.
  std::vector<std::string> acks(const std::vector<std::string>&) override { return {answer()}; }
  std::vector<std::string> unsubscribe_acks(const std::string&) override { return {answer()}; }

  // A snapshot starts a book afresh: it is the first line of a (re)bridged book.
  std::string snapshot(const std::string& symbol) override {
    book(symbol).mute(false);
    book(symbol).remember();
    return rest_body(symbol);
  }

  std::string rest_body(const std::string& symbol) override {
    const SymbolTruth& b = book(symbol);
    const std::string times = futures_ ? cat({R"("E":)", ms(), R"(,"T":)", ms(), ","}) : "";
    return cat({R"({"lastUpdateId":)", std::to_string(last_.at(symbol)), ",", times, R"("bids":[)", levels(b.bids()),
                R"(],"asks":[)", levels(b.asks()), "]}"});
  }

  std::int64_t last_id(const std::string& symbol) const override { return last_.at(symbol); }

  std::string delta(const std::string& symbol, const std::vector<LevelChange>& changes) override {
    const std::int64_t prev = last_.at(symbol);
    const std::int64_t first = next_first(symbol);
    SymbolTruth& b = book(symbol);
    for (const LevelChange& c : changes) b.apply(c);
    b.remember();
    last_[symbol] = first + events_ % 4;  // 1 to 4 ids
    return event(symbol, first, prev, changes);
  }

  Straddle straddle(const std::string& symbol, const std::vector<LevelChange>& first,
                    const std::vector<LevelChange>& rest) override {
    const std::int64_t prev = last_.at(symbol);
    const std::int64_t from = next_first(symbol);
    SymbolTruth& b = book(symbol);
    for (const LevelChange& c : first) b.apply(c);
    b.remember();
    last_[symbol] = from + static_cast<std::int64_t>(std::max<std::size_t>(first.size(), 1)) - 1;
    Straddle s{rest_body(symbol), {}};
    for (const LevelChange& c : rest) b.apply(c);
    b.remember();
    last_[symbol] += static_cast<std::int64_t>(rest.size()) + 1;
    std::vector<LevelChange> all = first;
    all.insert(all.end(), rest.begin(), rest.end());
    s.event = event(symbol, from, prev, all);
    return s;
  }

  void unseen_updates(const std::string& symbol, std::uint32_t& rng) override {
    SymbolTruth& b = book(symbol);
    b.apply(b.random_change(rng));
    last_[symbol] += 1 + static_cast<std::int64_t>(rng % 4);
  }

  // Binance sends no keep-alive frame of its own (its pings are WebSocket
  // pings): the answer to a LIST_SUBSCRIPTIONS stands in, a frame about no book.
  std::string heartbeat() override {
    std::string list;
    for (const std::string& s : symbols()) add(list, cat({"\"", stream_name(s), "\""}));
    return cat({R"({"result":[)", list, R"(],"id":)", std::to_string(++request_id_), "}"});
  }

  // The stream takes any name; it is the REST snapshot (HTTP 400) that refuses a symbol.
  std::string reject(const std::string&) override { return R"({"code":-1121,"msg":"Invalid symbol."})"; }

  std::string pong(std::string_view) const override { return {}; }

  // Updates of the symbol lost: spot's next U skips ids, futures' next pu names an unseen u.
  void integrity_fault(const std::string& symbol) override {
    last_[symbol] += 2;
    book(symbol).mute(true);
  }

 private:
  std::string answer() { return cat({R"({"result":null,"id":)", std::to_string(++request_id_), "}"}); }
  std::string ms() const { return std::to_string(kEpochMs + events_); }

  // Spot's ids touch; futures leave out some between two events of a symbol.
  std::int64_t next_first(const std::string& symbol) {
    ++events_;
    return last_.at(symbol) + 1 + (futures_ ? events_ % 3 : 0);
  }

  std::string event(const std::string& symbol, std::int64_t first, std::int64_t prev,
                    const std::vector<LevelChange>& changes) const {
    const auto [bids, asks] = change_texts(changes);
    const std::string time = futures_ ? cat({ms(), R"(,"T":)", ms()}) : ms();
    const std::string pu = futures_ ? cat({R"(,"pu":)", std::to_string(prev)}) : std::string();
    return cat({R"({"stream":")", stream_name(symbol), R"(","data":{"e":"depthUpdate","E":)", time, R"(,"s":")", symbol,
                R"(","U":)", std::to_string(first), R"(,"u":)", std::to_string(last_.at(symbol)), pu, R"(,"b":[)", bids,
                R"(],"a":[)", asks, "]}}"});
  }

  bool futures_;
  std::map<std::string, std::int64_t> last_;  // each symbol's last update id in the true book
  std::int64_t events_ = 0;
  int request_id_ = 0;
};

}  // namespace

std::unique_ptr<BinanceServer> make_binance_server(const std::vector<std::string>& symbols, std::size_t depth,
                                                   bool futures) {
  return std::make_unique<Binance>(symbols, depth, futures);
}

}  // namespace wsbook::testing
