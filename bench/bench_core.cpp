// Frame -> book -> snapshot line, end to end in the core, as the crawler runs it.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "bench_replay.h"
#include "book/crc32.h"
#include "flood_frames.h"
#include "wsbook/feed.h"
#include "wsbook/gemini.h"
#include "wsbook/log.h"
#include "wsbook/venue.h"
#include "wsbook/snapshot.h"

namespace {

// Gemini v1 sends nothing: a link that is never used.
struct NoLink final : wsbook::Link {
  void send(std::string) override {}
  void fetch(wsbook::FetchRequest) override {}
} kNoLink;

const wsbook::Log kQuiet(wsbook::LogLevel::error);

std::unique_ptr<wsbook::Feed> gemini_v1_feed() {
  return wsbook::make_feed(*wsbook::find_venue("gemini"), {.symbols = {"BTCUSD"}}, kQuiet);
}


std::string change(const char* side, const std::string& price, const std::string& amount,
                   const char* reason) {
  return R"({"type":"change","side":")" + std::string(side) + R"(","price":")" + price +
         R"(","remaining":")" + amount + R"(","delta":")" + amount + R"(","reason":")" + reason +
         R"("})";
}

std::string update(std::uint64_t seq, const std::vector<std::string>& events) {
  std::string f = R"({"type":"update","eventId":)" + std::to_string(4568099292 + seq) +
                  R"(,"timestamp":1537974017,"timestampms":1537974017597,"socket_sequence":)" +
                  std::to_string(seq) + R"(,"events":[)";
  for (std::size_t i = 0; i < events.size(); ++i) f += (i ? "," : "") + events[i];
  return f + "]}";
}

std::string price(int tick) {  // around 6500.00 in cents
  const int cents = 650000 + tick;
  return std::to_string(cents / 100) + "." + std::to_string(100 + cents % 100).substr(1);
}

// An initial frame of `levels` levels, half per side, around 6500.
std::string initial_frame(int levels) {
  std::vector<std::string> events;
  for (int i = 0; i < levels / 2; ++i) {
    events.push_back(change("bid", price(-1 - i), "0.5", "initial"));
    events.push_back(change("ask", price(1 + i), "1.25", "initial"));
  }
  return update(0, events);
}

// 65,536 one-change updates, sequences 1, 2, ..., near the top of initial_frame(200).
std::vector<std::string> typical_updates() {
  std::vector<std::string> frames;
  const int n = 1 << 16;
  for (int i = 0; i < n; ++i) {
    const bool bid = i % 2 == 0;
    const int tick = (bid ? -1 : 1) * (1 + (i / 2) % 20);
    frames.push_back(update(static_cast<std::uint64_t>(i + 1),
                            {change(bid ? "bid" : "ask", price(tick), i % 4 < 2 ? "0.12345678" : "2.5", "place")}));
  }
  return frames;
}

void BM_TypicalUpdateFramePrebuilt(benchmark::State& state) {
  auto feed = gemini_v1_feed();
  feed->on_connect(kNoLink);
  std::string out;
  feed->on_frame(initial_frame(200), 0, kNoLink, out);
  const std::vector<std::string> frames = typical_updates();
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == frames.size()) {  // start a new connection so the sequence stays valid
      state.PauseTiming();
      feed->on_connect(kNoLink);
      feed->on_frame(initial_frame(200), 0, kNoLink, out);
      i = 0;
      state.ResumeTiming();
    }
    out.clear();
    benchmark::DoNotOptimize(feed->on_frame(frames[i++], 1537974017597, kNoLink, out));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TypicalUpdateFramePrebuilt);

// The v1 parser alone, round and round `frames`.
void parse_each(benchmark::State& state, const std::vector<std::string>& frames) {
  wsbook::GeminiV1Parser parser;
  wsbook::V1Frame msg;
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == frames.size()) i = 0;
    benchmark::DoNotOptimize(parser.parse_view(frames[i++], msg));
    benchmark::DoNotOptimize(msg.changes.data());
  }
  state.SetItemsProcessed(state.iterations());
}

// The v1 parser alone on the same frames: no book, no line.
void BM_ParseTypicalUpdateFrame(benchmark::State& state) { parse_each(state, typical_updates()); }
BENCHMARK(BM_ParseTypicalUpdateFrame);

void BM_ParseHeartbeat(benchmark::State& state) {
  wsbook::GeminiV1Parser parser;
  wsbook::V1Frame msg;
  const std::string frame = R"({"type":"heartbeat","socket_sequence":123456})";
  for (auto _ : state) benchmark::DoNotOptimize(parser.parse(frame, msg));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseHeartbeat);

void BM_ParseInitialFrame20000Levels(benchmark::State& state) {
  wsbook::GeminiV1Parser parser;
  wsbook::V1Frame msg;
  const std::string frame = initial_frame(20000);
  for (auto _ : state) benchmark::DoNotOptimize(parser.parse(frame, msg));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_ParseInitialFrame20000Levels)->Unit(benchmark::kMillisecond);

// The parser alone on 1,024 frames of the end-to-end stream, warm in cache:
// what a change to the parser saves, without the book, the line or cache misses.
void BM_ParseFloodFrames(benchmark::State& state) {
  wsbook::bench::FloodBook book(200, 1);
  std::vector<std::string> frames;
  for (std::uint64_t seq = 1; seq <= 1024; ++seq) frames.push_back(book.update_frame(seq));
  parse_each(state, frames);
}
BENCHMARK(BM_ParseFloodFrames);

// The book and the line writer alone on the changes of 4,096 frames of the
// end-to-end stream, parsed beforehand and applied round and round.
void BM_BookFloodChanges(benchmark::State& state) {
  wsbook::bench::FloodBook flood(200, 1);
  wsbook::GeminiV1Parser parser;
  std::vector<std::string> frames{flood.initial_frame()};
  for (std::uint64_t seq = 1; seq <= 4096; ++seq) frames.push_back(flood.update_frame(seq));
  std::vector<std::vector<wsbook::BookChange>> changes;
  for (const auto& frame : frames) {  // the texts point into `frames`
    wsbook::V1Frame msg;
    if (!parser.parse_view(frame, msg).empty()) return state.SkipWithError("a frame did not parse");
    changes.push_back(msg.changes);
  }
  wsbook::OrderBook book;
  wsbook::SnapshotWriter writer(10);
  for (const auto& c : changes[0]) book.apply(c);
  std::string out;
  std::size_t i = 1;
  for (auto _ : state) {
    if (i == changes.size()) i = 1;
    for (const auto& c : changes[i++]) book.apply(c);
    out.clear();
    writer.append_book(book, out);
    writer.end_line(1537974017597, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BookFloodChanges);

// The end-to-end benchmark's stream (bench/flood_frames.h): 1-3 changes and
// trades per frame near the top of a 200-level book, as wsbook_flood_server sends it.
void BM_FloodFrames(benchmark::State& state) {
  wsbook::bench::FloodBook book(200, 1);
  auto feed = gemini_v1_feed();
  feed->on_connect(kNoLink);
  std::string out;
  feed->on_frame(book.initial_frame(), 0, kNoLink, out);
  std::vector<std::string> frames;
  for (std::uint64_t seq = 1; seq <= (1 << 16); ++seq) frames.push_back(book.update_frame(seq));
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == frames.size()) {
      state.SkipWithError("ran out of frames");
      break;
    }
    out.clear();
    // A new millisecond every frame: the line writer's time cache never helps here.
    benchmark::DoNotOptimize(feed->on_frame(frames[i], 1537974017597 + static_cast<std::int64_t>(i), kNoLink, out));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FloodFrames)->Iterations(1 << 16);

// The same stream, whole, fed by hand and replayed from its capture (--replay).
std::vector<std::string> flood_frames() {
  wsbook::bench::FloodBook book(200, 1);
  std::vector<std::string> frames{book.initial_frame()};
  for (std::uint64_t seq = 1; seq <= (1 << 16); ++seq) frames.push_back(book.update_frame(seq));
  return frames;
}

void BM_FloodDirect(benchmark::State& state) { wsbook::bench::direct_frames(state, "gemini", "BTCUSD", flood_frames()); }
BENCHMARK(BM_FloodDirect)->Unit(benchmark::kMillisecond);

void BM_FloodReplayed(benchmark::State& state) {
  wsbook::bench::replayed_frames(state, "gemini", "BTCUSD", flood_frames());
}
BENCHMARK(BM_FloodReplayed)->Unit(benchmark::kMillisecond);

void BM_InitialFrame20000Levels(benchmark::State& state) {
  auto feed = gemini_v1_feed();
  const std::string frame = initial_frame(20000);
  std::string out;
  for (auto _ : state) {
    feed->on_connect(kNoLink);
    out.clear();
    benchmark::DoNotOptimize(feed->on_frame(frame, 0, kNoLink, out));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * frame.size()));
}
BENCHMARK(BM_InitialFrame20000Levels)->Unit(benchmark::kMillisecond);

// CRC-32 of `len` random bytes (a Kraken checksum hashes about 280), by the tables and
// by the path crc32 dispatches to on this CPU.
template <std::uint32_t (*Crc)(std::string_view, std::uint32_t)>
void crc32_of(benchmark::State& state) {
  std::mt19937 rng(5);
  std::string bytes(static_cast<std::size_t>(state.range(0)), '\0');
  for (char& ch : bytes) ch = static_cast<char>(rng());
  std::uint32_t crc = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(bytes.data());
    crc = Crc(bytes, crc);
    benchmark::DoNotOptimize(crc);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}

void BM_Crc32Table(benchmark::State& state) { crc32_of<wsbook::crc32_table>(state); }
BENCHMARK(BM_Crc32Table)->Arg(64)->Arg(280)->Arg(1024);

void BM_Crc32(benchmark::State& state) { crc32_of<wsbook::crc32>(state); }
BENCHMARK(BM_Crc32)->Arg(64)->Arg(280)->Arg(1024);

}  // namespace
