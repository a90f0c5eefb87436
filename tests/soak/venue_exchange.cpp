#include "soak/venue_exchange.h"

#include <algorithm>
#include <chrono>

namespace wsbook::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Lock = std::lock_guard<std::mutex>;

void count(VenueRun& r, Fault f) {
  ++r.faults[f];
  ++r.total;
}

// Under the lock: the next fault; HTTP 429 only where a connection starts, REST 429 only where there is REST.
Fault draw(VenueRun& r, bool connecting) {
  for (;;) {
    const auto f = static_cast<Fault>(r.rng() % kFaults);
    if ((f == rest_429 && r.binance == nullptr) || (f == http_429 && !connecting)) continue;
    return f;
  }
}

// Under the lock: `s` starts afresh at prices no earlier book had (a ghost level would make a line no book had).
std::string fresh_book(VenueRun& r, const std::string& s) {
  SymbolTruth& b = r.venue->book(s);
  b.new_epoch();
  b.fill(1'000'000 + 100'000 * ++r.fills, 30);
  ++r.rebuilds[s];
  ++r.all_rebuilds;
  return r.venue->snapshot(s);
}

bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

void append(std::vector<std::string>& to, const std::vector<std::string>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

// The symbols a client frame names (Binance: by their stream).
std::vector<std::string> named(const VenueRun& r, const std::string& frame) {
  std::vector<std::string> out;
  for (const std::string& s : r.spec.symbols) {
    const std::string key = r.binance ? '"' + r.binance->stream_name(s) + '"' : s + '"';
    if (frame.find(key) != std::string::npos) out.push_back(s);
  }
  return out;
}

// What the exchange answers a client frame with: a pong, acks, and each (re)subscribed symbol's fresh book.
std::vector<std::string> answer(VenueRun& r, int gen, const std::string& frame, std::vector<std::string>& subscribed) {
  Lock lock(r.mutex);
  if (gen != r.generation) return {};
  if (std::string pong = r.venue->pong(frame); !pong.empty()) return {pong};
  const std::vector<std::string> symbols = named(r, frame);
  if (symbols.empty()) return {};
  std::vector<std::string> out;
  if (has(frame, "unsubscribe") || has(frame, "UNSUBSCRIBE")) {
    for (const std::string& s : symbols) append(out, r.venue->unsubscribe_acks(s));
    return out;
  }
  if (!has(frame, "subscribe") && !has(frame, "SUBSCRIBE")) return {};
  out = r.venue->acks(symbols);
  for (const std::string& s : symbols) {
    if (!r.binance) out.push_back(fresh_book(r, s));  // Binance's books come over REST
    subscribed.push_back(s);
  }
  return out;
}

// Reads what the client sent within `wait` and answers it; false once the connection is gone.
bool serve_client(Connection& c, VenueRun& r, int gen, std::chrono::milliseconds wait,
                  std::vector<std::string>* subscribed = nullptr) {
  std::vector<std::string> ignored_list;
  for (auto frame = c.read_text(wait); frame; frame = c.read_text(1ms)) {
    for (const std::string& f : answer(r, gen, *frame, subscribed ? *subscribed : ignored_list)) {
      if (!c.send_text(f)) return false;
    }
  }
  return true;
}

// Sends what `make` renders under the lock, unless a newer connection or the end came first.
template <class Make>
bool send(Connection& c, VenueRun& r, int gen, Make&& make) {
  std::string frame;
  {
    Lock lock(r.mutex);
    if (gen != r.generation || r.stopping) return false;
    frame = make(*r.venue);
  }
  return c.send_text(frame);
}

// `n` random deltas over every symbol, a heartbeat after every seventh, the client answered between.
bool stream(Connection& c, VenueRun& r, int gen, int n, std::uint32_t& seed) {
  for (int i = 0; i < n; ++i) {
    seed = seed * 22695477u + 1u;
    const std::string& s = r.spec.symbols[(seed >> 16) % r.spec.symbols.size()];
    if (!send(c, r, gen, [&](VenueServer& v) { return v.random_delta(s, seed); })) return false;
    if (i % 7 == 6 && !send(c, r, gen, [](VenueServer& v) { return v.heartbeat(); })) return false;
    if (i % 4 == 3 && !serve_client(c, r, gen, 2ms)) return false;
  }
  return true;
}

// A change at the best bid: always in a line, never crossing.
LevelChange visible_change(const SymbolTruth& b) {
  const auto& [cents, milli] = *b.bids().begin();
  return {TrueSide::bid, cents, milli % 5000 + 1};
}

// The frame with one value of the wrong JSON type: a number where the venue sends a string (Kraken: the reverse).
std::string mistyped(const std::string& venue, std::string frame) {
  if (venue == "kraken") {
    const std::size_t at = frame.find(R"("qty":)") + 6;
    frame.insert(frame.find('}', at), 1, '"');
    return frame.insert(at, 1, '"');
  }
  const std::size_t at = venue == "coinbase" ? frame.find(R"("new_quantity":")") + 15 : frame.find(R"([[")") + 2;
  frame.erase(frame.find('"', at + 1), 1);
  return frame.erase(at, 1);
}

// The fault's frame: a lost update (sequence, checksum or prevSeqId), a crossed book, a mistyped value.
std::string fault_frame(VenueRun& r, VenueServer& v, Fault f, const std::string& s) {
  SymbolTruth& b = v.book(s);
  if (f == crossed) {
    b.mute(true);
    return v.delta(s, {b.crossing_change()});
  }
  if (f == wrong_type) return mistyped(r.spec.name, v.delta(s, {visible_change(b)}));
  v.integrity_fault(s);
  if (r.spec.name == "coinbase") {
    for (const std::string& each : r.spec.symbols) v.book(each).mute(true);  // its rule is the connection's
  }
  return v.delta(s, {visible_change(b)});
}

// Injects `f` into symbol `s`'s stream; false if it did not reach wsbook.
bool inject(Connection& c, VenueRun& r, int gen, Fault f, const std::string& s, std::uint32_t seed) {
  bool sent = true;
  if (f == rest_429) {
    Lock lock(r.mutex);
    r.rest_429_pending = true;  // counted when a snapshot request gets it
    return true;
  }
  if (f == binary) sent = c.send_binary(std::string("\x00\xff\x10", 3));
  // Malformed JSON, or bytes that are not UTF-8, which the WebSocket layer refuses before JSON can.
  if (f == garbage) sent = c.send_text((seed >> 20) % 2 ? R"({"channel":"book","data":[{"bids":[[1,)" : "\x1f\x8b {{{");
  if (f == integrity || f == crossed || f == wrong_type) {
    sent = send(c, r, gen, [&](VenueServer& v) { return fault_frame(r, v, f, s); });
  }
  Lock lock(r.mutex);
  if (sent) count(r, f);
  return sent;
}

// Ends the connection as `f` does: at once, with a close 1001, or by silence until wsbook's stale timeout.
void end_connection(Connection& c, VenueRun& r, Fault f) {
  {
    Lock lock(r.mutex);
    count(r, f);
  }
  if (f == drop) return c.drop();
  if (f == close_1001) return c.close(1001, "going away");
  const Reaction how = c.wait_closed(5s) ? reconnected : unanswered;  // sends nothing, reads on
  Lock lock(r.mutex);
  if (!r.stopping) ++r.reactions[f][how];
}

int rebuilds_of(VenueRun& r, const std::string& s) {
  Lock lock(r.mutex);
  return s.empty() ? r.all_rebuilds : r.rebuilds[s];
}

// Streams on, slowly, until wsbook rebuilds `s` (any book if "") or leaves; a fault that broke a book waits longer.
Reaction follow(Connection& c, VenueRun& r, int gen, const std::string& s, bool muted, std::uint32_t& seed) {
  const int before = rebuilds_of(r, s);
  const bool rest = r.binance != nullptr;  // its snapshots are paced to one a second
  const auto deadline = Clock::now() + (muted ? (rest ? 20s : 6s) : (rest ? 4s : 1s));
  while (Clock::now() < deadline) {
    if (!stream(c, r, gen, 1, seed)) return reconnected;
    if (!serve_client(c, r, gen, 10ms)) return reconnected;
    if (rebuilds_of(r, s) > before) return rebuilt;
  }
  return muted ? unanswered : ignored;
}

// Streams until every book of the connection was bridged by a REST snapshot (Binance; others have theirs).
bool await_books(Connection& c, VenueRun& r, int gen, int before, std::uint32_t& seed) {
  const auto deadline = Clock::now() + 15s;
  while (r.binance && rebuilds_of(r, "") < before + static_cast<int>(r.spec.symbols.size())) {
    if (Clock::now() > deadline || !stream(c, r, gen, 1, seed) || !serve_client(c, r, gen, 10ms)) return false;
  }
  return true;
}

// Fault after fault on one connection, until one ends it.
void run_faults(Connection& c, VenueRun& r, int gen, Fault f, int before) {
  std::uint32_t seed = 0;
  {
    Lock lock(r.mutex);
    seed = static_cast<std::uint32_t>(r.rng());
  }
  if (!await_books(c, r, gen, before, seed)) return;
  while (!r.stopping && stream(c, r, gen, 20 + static_cast<int>(seed % 150), seed)) {
    const std::string& s = r.spec.symbols[seed % r.spec.symbols.size()];
    if (f == drop || f == close_1001 || f == stall) return end_connection(c, r, f);
    if (!inject(c, r, gen, f, s, seed)) return;
    if (f != rest_429) {
      const bool muted = f == integrity || f == crossed;
      const Reaction how = follow(c, r, gen, f == wrong_type || muted ? s : "", muted, seed);
      Lock lock(r.mutex);
      if (!r.stopping) ++r.reactions[f][how];
      if (how == unanswered) return c.drop();
      if (how == reconnected) return;
    }
    Lock lock(r.mutex);
    f = draw(r, false);
  }
}

// A new WebSocket: reads the subscription of every symbol, sends each one's fresh book.
bool open(Connection& c, VenueRun& r, int& gen) {
  {
    Lock lock(r.mutex);
    gen = ++r.generation;
    ++r.websockets;
    r.venue->new_connection();
    for (const std::string& s : r.spec.symbols) {
      if (r.binance) r.venue->book(s).mute(true);  // no line until a snapshot bridges it
    }
  }
  std::vector<std::string> subscribed;
  const auto deadline = Clock::now() + 10s;
  while (subscribed.size() < r.spec.symbols.size() && Clock::now() < deadline) {
    if (!serve_client(c, r, gen, 100ms, &subscribed)) return false;
  }
  return subscribed.size() >= r.spec.symbols.size();
}

// A Binance `/depth` GET: the book of that moment as a fresh one, or the 429 a fault left pending.
void serve_rest(Connection& c, VenueRun& r) {
  const std::string& target = c.request_target();
  const std::size_t at = target.find("symbol=") + 7;
  const std::string s = target.substr(at, target.find('&', at) - at);
  std::string body;
  int status = 200;
  {
    Lock lock(r.mutex);
    if (r.rest_429_pending) {
      r.rest_429_pending = false;
      count(r, rest_429);
      status = 429;
      body = R"({"code":-1003,"msg":"Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute."})";
    } else if (std::find(r.spec.symbols.begin(), r.spec.symbols.end(), s) == r.spec.symbols.end()) {
      status = 400;
      body = r.venue->reject(s);
    } else {
      body = fresh_book(r, s);
    }
  }
  std::vector<Connection::Header> headers;
  if (status == 429) headers.emplace_back("Retry-After", "1");
  c.respond_http(status, headers, body);
}

}  // namespace

VenueRun::VenueRun(const VenueSpec& s, std::uint32_t seed, std::atomic<int>& total, const std::atomic<bool>& stopping)
    : spec(s), rng(seed), total(total), stopping(stopping) {
  if (s.name == "binance") {
    auto b = make_binance_server(s.symbols, static_cast<std::size_t>(s.depth), false);
    binance = b.get();
    venue = std::move(b);
  } else {
    venue = make_venue_server(s.name, s.symbols, static_cast<std::size_t>(s.depth));
  }
}

int faults_of(VenueRun& r) {
  Lock lock(r.mutex);
  int n = 0;
  for (int each : r.faults) n += each;
  return n;
}

void serve_venue(Connection& c, VenueRun& r) {
  if (!c.tls_handshake() || c.read_http_request().empty()) return;
  if (r.binance && c.request_target().rfind(r.binance->depth_path() + "?", 0) == 0) return serve_rest(c, r);
  Fault first;
  std::string retry_after;
  {
    Lock lock(r.mutex);
    first = draw(r, true);
    if (first == http_429 && !r.stopping) count(r, first);
    retry_after = r.rng() % 4 == 0 ? "1" : "0";
  }
  if (first == http_429) return c.respond_http(429, {{"Retry-After", retry_after}}, "slow down");
  if (!c.accept_websocket()) return;
  int gen = 0;
  const int before = rebuilds_of(r, "");
  if (open(c, r, gen)) run_faults(c, r, gen, first, before);
  c.wait_closed(10s);
}

}  // namespace wsbook::testing
