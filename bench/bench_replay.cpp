#include "bench_replay.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "capture/capture_format.h"
#include "replay/replay.h"
#include "wsbook/log.h"
#include "wsbook/venue.h"

namespace wsbook::bench {
namespace {

constexpr std::int64_t kStartUs = 1'796'000'000'000'000;

const Log kQuiet(LogLevel::error);

struct NoLink final : Link {
  void send(std::string) override {}
  void fetch(FetchRequest) override {}
};

// Takes every line and keeps none, like /dev/null.
struct Discard final : Output {
  WriteResult write(std::string_view lines) override {
    bytes += lines.size();
    return {};
  }
  std::string reopen() override { return {}; }
  Placement placement() const override { return {}; }
  std::size_t bytes = 0;
};

// The capture of one connection that received `frames`, a millisecond apart; its path.
std::string write_capture(const std::string& exchange, const std::string& symbol,
                          const std::vector<std::string>& frames, const std::string& preamble) {
  std::string text;
  capture::append_header({exchange, "bench", 0, 0, 10, {{"wss://h/ws", {symbol}}}}, kStartUs, text);
  capture::Event open;
  open.kind = capture::Kind::open;
  open.us = kStartUs;
  open.text = "connected to h:443";
  open.url = "wss://h/ws";
  open.symbols = {symbol};
  capture::append_event(open, text);
  std::int64_t us = kStartUs;
  if (!preamble.empty()) capture::append_frame(0, us, preamble, false, text);
  for (const std::string& f : frames) capture::append_frame(0, us += 1000, f, false, text);
  char path[] = "/tmp/wsbook_bench_replay_XXXXXX";
  const int fd = mkstemp(path);
  if (fd >= 0) ::close(fd);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

void direct_frames(benchmark::State& state, const std::string& exchange, const std::string& symbol,
                   const std::vector<std::string>& frames, const std::string& preamble) {
  const Venue& venue = *find_venue(exchange);
  NoLink link;
  std::string out;
  std::size_t lines = 0;
  for (auto _ : state) {
    auto feed = make_feed(venue, {.symbols = {symbol}}, kQuiet);
    feed->on_connect(link);
    std::int64_t us = kStartUs;
    if (!preamble.empty()) feed->on_frame(preamble, Arrival::from_us(us), link, out);
    for (const std::string& f : frames) {
      out.clear();
      lines += feed->on_frame(f, Arrival::from_us(us += 1000), link, out).lines;
    }
  }
  if (lines == 0) state.SkipWithError("no line written");
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
}

void replayed_frames(benchmark::State& state, const std::string& exchange, const std::string& symbol,
                     const std::vector<std::string>& frames, const std::string& preamble) {
  const std::string path = write_capture(exchange, symbol, frames, preamble);
  const Venue& venue = *find_venue(exchange);
  for (auto _ : state) {
    Discard sink;
    CaptureFile file(path);
    capture::Header header;
    if (!file.read_header(header).empty()) {
      state.SkipWithError("unreadable capture");
      break;
    }
    if (replay_capture(file, header, venue, {}, {{&sink}, {0}}, std::nullopt, {}, kQuiet) != 0) {
      state.SkipWithError("the replay failed");
      break;
    }
    benchmark::DoNotOptimize(sink.bytes);
  }
  std::remove(path.c_str());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
}

}  // namespace wsbook::bench
