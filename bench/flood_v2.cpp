#include "flood_v2.h"

#include <chrono>

#include "flood_frames.h"

namespace wsbook::bench {
namespace {

void append_change(bool bid, std::int64_t price, std::int64_t amount, std::string& out) {
  out += bid ? R"(["buy",")" : R"(["sell",")";
  out += price_text(price);
  out += R"(",")";
  out += amount_text(amount);
  out += R"("])";
}

std::string frame_start(const std::string& symbol) {
  return R"({"type":"l2_updates","symbol":")" + symbol + R"(","changes":[)";
}

// FNV-1a: a symbol's stream depends on its name alone, not on when it was asked for.
std::uint64_t name_hash(std::string_view name) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

}  // namespace

std::string v2_heartbeat_frame(std::int64_t unix_ms) {
  return R"({"type":"heartbeat","timestamp":)" + std::to_string(unix_ms) + "}";
}

std::vector<std::string> subscribed_symbols(std::string_view frame) {
  std::vector<std::string> symbols;
  if (frame.find(R"("subscribe")") == std::string_view::npos) return symbols;
  const std::size_t key = frame.find(R"("symbols")");
  std::size_t at = key == std::string_view::npos ? key : frame.find('[', key);
  while (at != std::string_view::npos && at < frame.size()) {
    const std::size_t open = frame.find_first_of("\"]", at + 1);
    if (open == std::string_view::npos || frame[open] == ']') break;
    const std::size_t close = frame.find('"', open + 1);
    if (close == std::string_view::npos) break;
    symbols.emplace_back(frame.substr(open + 1, close - open - 1));
    at = close;
  }
  return symbols;
}

V2SymbolStream::V2SymbolStream(std::string symbol, int levels, std::uint64_t seed)
    : symbol_(std::move(symbol)), book_(levels, seed) {
  std::string payload = frame_start(symbol_);
  for (const auto& [price, amount] : book_.bids()) {
    append_change(true, price, amount, payload);
    payload += ',';
  }
  for (const auto& [price, amount] : book_.asks()) {
    append_change(false, price, amount, payload);
    payload += ',';
  }
  payload.back() = ']';
  payload += R"(,"trades":[],"auction_events":[]})";
  append_ws_text_frame(payload, snapshot_);
}

void V2SymbolStream::encode_updates(std::size_t count) {
  std::string payload;
  while (ends_.size() < count) {
    payload = frame_start(symbol_);
    bool first = true;
    for (const FloodEvent& e : book_.next_update()) {
      if (e.kind != FloodEvent::Kind::change) continue;  // v2 sends trades apart; the level's change says it all
      if (!first) payload += ',';
      first = false;
      append_change(e.bid, e.price, e.amount, payload);
    }
    payload += "]}";
    append_ws_text_frame(payload, updates_);
    ends_.push_back(updates_.size());
  }
}

std::string_view V2SymbolStream::update(std::size_t i) const {
  const std::size_t begin = i == 0 ? 0 : ends_[i - 1];
  return std::string_view(updates_).substr(begin, ends_[i] - begin);
}

const V2SymbolStream& V2Library::stream(const std::string& symbol, std::size_t updates) {
  auto& slot = streams_[symbol];
  if (!slot) slot = std::make_unique<V2SymbolStream>(symbol, levels_, seed_ ^ name_hash(symbol));
  slot->encode_updates(updates);
  return *slot;
}

V2Flood::V2Flood(std::vector<const V2SymbolStream*> streams, std::uint64_t frames)
    : streams_(std::move(streams)), frames_(streams_.empty() ? 0 : frames) {}

bool V2Flood::next_chunk(std::string& out, std::size_t bytes) {
  out.clear();
  while (out.size() < bytes && snapshots_sent_ < streams_.size()) out += streams_[snapshots_sent_++]->snapshot();
  const std::size_t n = streams_.size();
  while (out.size() < bytes && updates_sent_ < frames_) {
    out += streams_[updates_sent_ % n]->update(updates_sent_ / n);
    ++updates_sent_;
  }
  return !out.empty();
}

ConnectLog::ConnectLog(const std::string& path)
    : file_(path.empty() ? nullptr : std::fopen(path.c_str(), "a"), &std::fclose), ok_(path.empty() || file_) {}

void ConnectLog::connect(int connection) { line("connect " + std::to_string(connection)); }

void ConnectLog::subscribe(int connection, std::size_t symbols) {
  line("subscribe " + std::to_string(connection) + " " + std::to_string(symbols));
}

void ConnectLog::line(const std::string& text) {
  if (!file_) return;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now().time_since_epoch());
  // Flushed at once: the script reads the log while the server still runs.
  std::fprintf(file_.get(), "%lld %s\n", static_cast<long long>(ms.count()), text.c_str());
  std::fflush(file_.get());
}

}  // namespace wsbook::bench
