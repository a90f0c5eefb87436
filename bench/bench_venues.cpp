// Parse + integrity rule + apply + line, per venue: a 200-level book and then
// one-change updates near its top at depth 10, through the same feed the
// crawler uses. Kraken's frames carry the checksums of the books they make;
// Binance's book comes as a REST reply, and its updates carry a few changes.
#include <benchmark/benchmark.h>

#include <functional>
#include <string>
#include <vector>

#include "bench_replay.h"
#include "wsbook/feed.h"
#include "wsbook/log.h"
#include "wsbook/order_book.h"
#include "wsbook/venue.h"

namespace {

struct NoLink final : wsbook::Link {
  void send(std::string) override {}
  void fetch(wsbook::FetchRequest) override {}
} kNoLink;

const wsbook::Log kQuiet(wsbook::LogLevel::error);

struct Level {
  bool bid;
  std::string price, amount;
};

std::string price(int tick) {  // around 6500.00 in cents
  const int cents = 650000 + tick;
  return std::to_string(cents / 100) + "." + std::to_string(100 + cents % 100).substr(1);
}

std::vector<Level> initial_levels() {
  std::vector<Level> levels;
  for (int i = 0; i < 100; ++i) {
    levels.push_back({true, price(-1 - i), "0.5"});
    levels.push_back({false, price(1 + i), "1.25"});
  }
  return levels;
}

Level typical_change(int i) {
  const bool bid = i % 2 == 0;
  return {bid, price((bid ? -1 : 1) * (1 + (i / 2) % 20)), i % 4 < 2 ? "0.12345678" : "2.5"};
}

// What a venue's frames look like; n counts the frames of a connection from 0.
struct Format {
  const char* exchange;
  const char* symbol;
  std::string preamble;  // sent once per connection before the book (Kraken's precisions)
  std::function<std::string(const std::vector<Level>&, bool snapshot, int n, std::uint32_t crc)> frame;
};

std::string join(const std::vector<Level>& levels, bool bid, const std::function<std::string(const Level&)>& f) {
  std::string out;
  for (const Level& l : levels) {
    if (l.bid != bid) continue;
    if (!out.empty()) out += ',';
    out += f(l);
  }
  return out;
}

std::string coinbase(const std::vector<Level>& levels, bool snapshot, int n, std::uint32_t) {
  std::string updates;
  for (const Level& l : levels) {
    if (!updates.empty()) updates += ',';
    updates += std::string(R"({"side":")") + (l.bid ? "bid" : "offer") +
               R"(","event_time":"2023-02-09T20:32:50.714964855Z","price_level":")" + l.price +
               R"(","new_quantity":")" + l.amount + R"("})";
  }
  return R"({"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":)" +
         std::to_string(n) + R"(,"events":[{"type":")" + (snapshot ? "snapshot" : "update") +
         R"(","product_id":"BTC-USD","updates":[)" + updates + "]}]}";
}

std::string kraken(const std::vector<Level>& levels, bool snapshot, int, std::uint32_t crc) {
  const auto side = [&](bool bid) {
    return join(levels, bid, [](const Level& l) { return R"({"price":)" + l.price + R"(,"qty":)" + l.amount + "}"; });
  };
  return R"({"channel":"book","type":")" + std::string(snapshot ? "snapshot" : "update") +
         R"(","data":[{"symbol":"BTC/USD","bids":[)" + side(true) + R"(],"asks":[)" + side(false) +
         R"(],"checksum":)" + std::to_string(crc) + R"(,"timestamp":"2023-10-06T17:35:55.440295Z"}]})";
}

std::string okx(const std::vector<Level>& levels, bool snapshot, int n, std::uint32_t) {
  const auto side = [&](bool bid) {
    return join(levels, bid, [](const Level& l) { return R"([")" + l.price + R"(",")" + l.amount + R"(","0","1"])"; });
  };
  return R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":")" + std::string(snapshot ? "snapshot" : "update") +
         R"(","data":[{"asks":[)" + side(false) + R"(],"bids":[)" + side(true) +
         R"(],"ts":"1652459225393","checksum":0,"prevSeqId":)" + std::to_string(snapshot ? -1 : 1000 + 3 * (n - 1)) +
         R"(,"seqId":)" + std::to_string(1000 + 3 * n) + "}]}";
}

std::string bybit(const std::vector<Level>& levels, bool snapshot, int n, std::uint32_t) {
  const auto side = [&](bool bid) {
    return join(levels, bid, [](const Level& l) { return R"([")" + l.price + R"(",")" + l.amount + R"("])"; });
  };
  return R"({"topic":"orderbook.50.BTCUSDT","type":")" + std::string(snapshot ? "snapshot" : "delta") +
         R"(","ts":1672304484978,"data":{"s":"BTCUSDT","b":[)" + side(true) + R"(],"a":[)" + side(false) +
         R"(],"u":)" + std::to_string(18521288 + n) + R"(,"seq":7961638724},"cts":1672304484976})";
}

const char* kKrakenInstrument =
    R"({"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[{"symbol":"BTC/USD","price_precision":2,"qty_precision":8}]}})";

// A snapshot and 4,096 typical updates; Kraken's checksums from a shadow book run by its own parser.
std::vector<std::string> frames_of(const Format& f, const wsbook::Venue& venue) {
  auto parser = venue.make_parser();
  wsbook::ParsedFrame parsed;
  if (!f.preamble.empty()) parser->parse(f.preamble, parsed);
  wsbook::OrderBook shadow;
  const std::size_t kept = venue.kept_depth(10);
  std::vector<std::string> frames;
  for (int n = 0; n <= 4096; ++n) {
    const std::vector<Level> levels = n == 0 ? initial_levels() : std::vector<Level>{typical_change(n)};
    std::string text = f.frame(levels, n == 0, n, 0);
    if (venue.integrity() == wsbook::IntegrityKind::checksum) {
      if (!parser->parse(text, parsed).empty()) break;
      for (const auto& c : parsed.changes) shadow.apply(c);
      if (kept != 0) shadow.truncate(kept);
      text = f.frame(levels, n == 0, n, parser->checksum(f.symbol, shadow));
    }
    frames.push_back(std::move(text));
  }
  return frames;
}

void BM_VenueTypicalUpdate(benchmark::State& state, const Format& f) {
  const wsbook::Venue& venue = *wsbook::find_venue(f.exchange);
  const std::vector<std::string> frames = frames_of(f, venue);
  auto feed = wsbook::make_feed(venue, {.symbols = {f.symbol}}, kQuiet);
  std::string out;
  const auto connect = [&] {
    feed->on_connect(kNoLink);
    if (!f.preamble.empty()) feed->on_frame(f.preamble, 0, kNoLink, out);
    feed->on_frame(frames[0], 0, kNoLink, out);
  };
  connect();
  std::size_t i = 1, lines = 0;
  for (auto _ : state) {
    if (i == frames.size()) {  // a new connection, so that every sequence stays valid
      state.PauseTiming();
      connect();
      i = 1;
      state.ResumeTiming();
    }
    out.clear();
    lines += feed->on_frame(frames[i++], 1537974017597, kNoLink, out).lines;
  }
  // A benchmark of resyncs would measure the wrong thing.
  if (lines != static_cast<std::size_t>(state.iterations())) state.SkipWithError("not every update wrote its line");
  state.SetItemsProcessed(state.iterations());
}

// The parser alone on the same frames: what the parse costs of the whole above.
void BM_VenueParse(benchmark::State& state, const Format& f) {
  const wsbook::Venue& venue = *wsbook::find_venue(f.exchange);
  const std::vector<std::string> frames = frames_of(f, venue);
  auto parser = venue.make_parser();
  wsbook::ParsedFrame parsed;
  if (!f.preamble.empty()) parser->parse(f.preamble, parsed);
  std::size_t i = 1, changes = 0;
  for (auto _ : state) {
    if (i == frames.size()) i = 1;
    if (!parser->parse(frames[i++], parsed).empty()) state.SkipWithError("frame refused");
    changes += parsed.changes.size();
  }
  benchmark::DoNotOptimize(changes);
  state.SetItemsProcessed(state.iterations());
}

// Binance: books start from a REST snapshot, and its diffs carry a few levels
// and two update ids each, as in the real capture.
struct FetchLink final : wsbook::Link {
  void send(std::string) override {}
  void fetch(wsbook::FetchRequest request) override { id = request.id; }
  std::uint64_t id = 0;
};

constexpr std::int64_t kBinanceId = 499869752;

std::string binance_level(const Level& l) { return R"([")" + l.price + R"(000000",")" + l.amount + R"("])"; }

std::string binance_reply(const std::vector<Level>& levels) {
  return R"({"lastUpdateId":)" + std::to_string(kBinanceId) + R"(,"bids":[)" + join(levels, true, binance_level) +
         R"(],"asks":[)" + join(levels, false, binance_level) + "]}";
}

// Update n covers the ids [id + 2n - 1, id + 2n], so the first after the snapshot bridges it.
std::string binance_update(int n) {
  std::vector<Level> levels;
  for (int k = 0; k < 3; ++k) levels.push_back(typical_change(3 * n + k));
  const std::string bids = join(levels, true, binance_level), asks = join(levels, false, binance_level);
  return R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1633998512068,"s":"BTCUSDT","U":)" +
         std::to_string(kBinanceId + 2 * n - 1) + R"(,"u":)" + std::to_string(kBinanceId + 2 * n) + R"(,"b":[)" +
         bids + R"(],"a":[)" + asks + "]}}";
}

void BM_BinanceTypicalUpdate(benchmark::State& state) {
  const wsbook::Venue& venue = *wsbook::find_venue("binance");
  std::vector<std::string> frames;
  for (int n = 0; n <= 4096; ++n) frames.push_back(binance_update(n));
  const std::string reply = binance_reply(initial_levels());
  auto feed = wsbook::make_feed(venue, {.symbols = {"BTCUSDT"}}, kQuiet);
  FetchLink link;
  std::string out;
  const auto connect = [&] {
    feed->on_connect(link);
    feed->on_frame(frames[0], 0, link, out);  // buffered; the snapshot is asked for
    feed->on_response({link.id, 200, reply, {}, {}}, 0, link, out);
  };
  connect();
  std::size_t i = 1, lines = 0;
  for (auto _ : state) {
    if (i == frames.size()) {
      state.PauseTiming();
      connect();
      i = 1;
      state.ResumeTiming();
    }
    out.clear();
    lines += feed->on_frame(frames[i++], 1633998512068, link, out).lines;
  }
  if (lines != static_cast<std::size_t>(state.iterations())) state.SkipWithError("not every update wrote its line");
  state.SetItemsProcessed(state.iterations());
}

// The deepest spot snapshot: parsed, and applied to an empty book.
void BM_BinanceRestSnapshot5000(benchmark::State& state) {
  std::vector<Level> levels;
  for (int i = 0; i < 5000; ++i) {
    levels.push_back({true, price(-1 - i), "0.12345678"});
    levels.push_back({false, price(1 + i), "2.5"});
  }
  const std::string reply = binance_reply(levels);
  auto parser = wsbook::find_venue("binance")->make_parser();
  wsbook::ParsedFrame parsed;
  wsbook::OrderBook book;
  for (auto _ : state) {
    if (!parser->parse_snapshot(200, reply, "BTCUSDT", parsed).empty()) state.SkipWithError("reply refused");
    book.clear();
    for (const wsbook::BookChange& c : parsed.changes) book.apply(c);
    benchmark::DoNotOptimize(book.size(wsbook::Side::bid));
  }
  if (book.size(wsbook::Side::bid) != 5000 || book.size(wsbook::Side::ask) != 5000) state.SkipWithError("short book");
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(reply.size()));
}

BENCHMARK(BM_BinanceTypicalUpdate);
BENCHMARK(BM_BinanceRestSnapshot5000)->Unit(benchmark::kMillisecond);

// OKX's frames whole, fed by hand and replayed from their capture (--replay).
void BM_VenueDirect(benchmark::State& state, const Format& f) {
  wsbook::bench::direct_frames(state, f.exchange, f.symbol, frames_of(f, *wsbook::find_venue(f.exchange)), f.preamble);
}
void BM_VenueReplayed(benchmark::State& state, const Format& f) {
  wsbook::bench::replayed_frames(state, f.exchange, f.symbol, frames_of(f, *wsbook::find_venue(f.exchange)), f.preamble);
}
BENCHMARK_CAPTURE(BM_VenueDirect, okx, Format{"okx", "BTC-USDT", "", okx})->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_VenueReplayed, okx, Format{"okx", "BTC-USDT", "", okx})->Unit(benchmark::kMillisecond);

BENCHMARK_CAPTURE(BM_VenueTypicalUpdate, coinbase, Format{"coinbase", "BTC-USD", "", coinbase});
BENCHMARK_CAPTURE(BM_VenueTypicalUpdate, kraken, Format{"kraken", "BTC/USD", kKrakenInstrument, kraken});
BENCHMARK_CAPTURE(BM_VenueTypicalUpdate, okx, Format{"okx", "BTC-USDT", "", okx});
BENCHMARK_CAPTURE(BM_VenueTypicalUpdate, bybit, Format{"bybit", "BTCUSDT", "", bybit});
BENCHMARK_CAPTURE(BM_VenueParse, coinbase, Format{"coinbase", "BTC-USD", "", coinbase});
BENCHMARK_CAPTURE(BM_VenueParse, kraken, Format{"kraken", "BTC/USD", kKrakenInstrument, kraken});
BENCHMARK_CAPTURE(BM_VenueParse, okx, Format{"okx", "BTC-USDT", "", okx});
BENCHMARK_CAPTURE(BM_VenueParse, bybit, Format{"bybit", "BTCUSDT", "", bybit});

}  // namespace
