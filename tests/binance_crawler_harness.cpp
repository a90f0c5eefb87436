#include "binance_crawler_harness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "replay_harness.h"

namespace wsbook::testing {

using namespace std::chrono_literals;

namespace {

// Longest any script or check waits for the crawler: far more than a healthy run needs.
constexpr std::chrono::milliseconds kPatience = 5s;

}  // namespace

std::string query_param(const std::string& target, const std::string& name) {
  const std::size_t q = target.find('?');
  if (q == std::string::npos) return {};
  for (std::size_t at = q + 1; at < target.size();) {
    const std::size_t end = std::min(target.find('&', at), target.size());
    const std::string pair = target.substr(at, end - at);
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    at = end + 1;
  }
  return {};
}

BinanceExchange::BinanceExchange(const std::string& venue, const std::vector<std::string>& symbols)
    : symbols_(symbols), venue_(make_binance_server(symbols, 10, venue == "binance-futures")) {}

BinanceExchange::~BinanceExchange() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  desk_changed_.notify_all();
  server_.reset();
  run_.reset();
}

void BinanceExchange::start(Script ws, const std::function<void(FeedOptions&)>& feed) {
  ws_ = std::move(ws);
  server_ = std::make_unique<TestExchange>([this](Connection& c) { serve(c); });
  CrawlOptions options = test_crawl_options(*server_, "/stream");
  // The stream may be quiet while a snapshot waits out a 429: no stale reconnect meanwhile.
  options.connection.stale_timeout = 5s;
  FeedSpec spec{venue_->name(), {.symbols = symbols_}};
  spec.options.rest_url = "https://localhost:" + std::to_string(server_->port());
  spec.options.backoff = {.min = 50ms, .max = 200ms};
  if (feed) feed(spec.options);
  feed_ = spec.options;
  run_ = std::make_unique<CrawlRun>(std::move(options), spec.exchange, std::vector<ConnectionSpec>{{spec.options}}, 1,
                                    true);
  started_ = run_.get();
}

void BinanceExchange::serve(Connection& c) {
  if (!c.tls_handshake() || c.read_http_request().empty()) return;
  if (c.request_target().rfind(venue_->depth_path() + "?", 0) == 0) return serve_rest(c);
  if (!c.accept_websocket()) return;
  ++websockets_;
  locked([](BinanceServer& v) { v.new_connection(); });
  ws_(c);
}

void BinanceExchange::serve_rest(Connection& c) {
  const std::string symbol = query_param(c.request_target(), "symbol");
  std::unique_lock lock(mutex_);
  auto& log = requests_[symbol];
  log.push_back({c.request_target(), Clock::now(), {}});
  const std::size_t index = log.size() - 1;
  desk_changed_.notify_all();
  const bool ready = desk_changed_.wait_for(
      lock, kPatience, [&] { return stopping_ || !replies_[symbol].empty() || allowed_[symbol] > 0; });
  if (!ready || stopping_) return;
  const RestReply r = take_reply(symbol);
  lock.unlock();
  if (r.delay.count() > 0) c.stall(r.delay);
  lock.lock();
  requests_[symbol][index].answered = Clock::now();
  lock.unlock();
  c.respond_http(r.status, r.headers, r.body);
}

// Under the lock: the first queued reply, else the book as it is now.
RestReply BinanceExchange::take_reply(const std::string& symbol) {
  auto& queued = replies_[symbol];
  if (!queued.empty()) {
    RestReply r = std::move(queued.front());
    queued.pop_front();
    return r;
  }
  --allowed_[symbol];
  if (std::find(symbols_.begin(), symbols_.end(), symbol) == symbols_.end()) {
    return {400, {}, venue_->reject(symbol)};
  }
  return {200, {}, venue_->snapshot(symbol)};
}

void BinanceExchange::reply(const std::string& symbol, RestReply reply) {
  {
    std::lock_guard lock(mutex_);
    replies_[symbol].push_back(std::move(reply));
  }
  desk_changed_.notify_all();
}

void BinanceExchange::allow(const std::string& symbol, int n) {
  {
    std::lock_guard lock(mutex_);
    allowed_[symbol] += n;
  }
  desk_changed_.notify_all();
}

std::vector<RestRequest> BinanceExchange::requests(const std::string& symbol) const {
  std::lock_guard lock(mutex_);
  const auto it = requests_.find(symbol);
  return it == requests_.end() ? std::vector<RestRequest>{} : it->second;
}

bool BinanceExchange::open(Connection& c) {
  while (auto frame = c.read_text(3s)) {
    const bool all = std::all_of(symbols_.begin(), symbols_.end(), [&](const std::string& s) {
      return frame->find('"' + venue_->stream_name(s) + '"') != std::string::npos;
    });
    if (frame->find(R"("method":"SUBSCRIBE")") != std::string::npos && all) {
      for (const std::string& ack : locked([&](BinanceServer& v) { return v.acks(symbols_); })) c.send_text(ack);
      return true;
    }
  }
  return false;
}

bool BinanceExchange::send(Connection& c, const std::function<std::string(BinanceServer&)>& make) {
  return c.send_text(locked(make));
}

void BinanceExchange::stream(Connection& c, int n, std::uint32_t seed, const std::vector<std::string>& symbols) {
  for (int i = 0; i < n; ++i) {
    seed = seed * 22695477u + 1u;
    const std::string& s = symbols[(seed >> 16) % symbols.size()];
    send(c, [&](BinanceServer& v) { return v.random_delta(s, seed); });
    if (i % 7 == 6) send(c, [](BinanceServer& v) { return v.heartbeat(); });
  }
}

bool BinanceExchange::stream_until_lines(Connection& c, const std::string& symbol, const std::string& other,
                                         std::size_t n) {
  std::uint32_t seed = 71;
  const auto deadline = Clock::now() + kPatience;
  while (Clock::now() < deadline && !stopping_) {
    if (lines_of(other) >= n) return true;
    send(c, [&](BinanceServer& v) { return v.random_delta(symbol, seed); });
    c.stall(5ms);
  }
  return false;
}

std::size_t BinanceExchange::lines_of(const std::string& symbol) const {
  const CrawlRun* run = started_;
  if (run == nullptr) return 0;
  const std::string tag = symbols_.size() > 1 ? symbol : "";
  return testing::lines_of(run->lines(), venue_->name(), tag).size();
}

bool BinanceExchange::wait(Connection& c, const std::function<bool()>& done) {
  const auto deadline = Clock::now() + kPatience;
  while (!done()) {
    if (stopping_ || Clock::now() >= deadline) return done();
    c.stall(5ms);  // not a sleep: the crawler's pings are answered meanwhile
  }
  return true;
}

bool BinanceExchange::wait_requests(Connection& c, const std::string& symbol, std::size_t n) {
  return wait(c, [&] { return requests(symbol).size() >= n; });
}

bool BinanceExchange::wait_lines(Connection& c, const std::string& symbol, std::size_t n) {
  return wait(c, [&] { return lines_of(symbol) >= n; });
}

void BinanceExchange::expect_exact_lines() {
  const auto deadline = Clock::now() + 2 * kPatience;
  while (!done_ && Clock::now() < deadline) std::this_thread::sleep_for(2ms);
  ASSERT_TRUE(done_) << "the exchange's script did not finish\n" << run_->stop() << run_->log_text();
  const std::size_t n = locked([&](BinanceServer& v) {
    std::size_t all = 0;
    for (const std::string& s : symbols_) all += v.book(s).expected_lines().size();
    return all;
  });
  EXPECT_TRUE(run_->wait_lines(n, kPatience)) << run_->text();
  EXPECT_EQ(run_->stop(), 0);
  const auto lines = run_->lines();
  std::size_t mine = 0;
  std::lock_guard lock(mutex_);
  for (const std::string& s : symbols_) {
    const auto got = testing::lines_of(lines, venue_->name(), symbols_.size() > 1 ? s : "");
    mine += got.size();
    EXPECT_EQ(diff_lines(got, venue_->book(s).expected_lines()), "") << s << "\n" << run_->log_text();
    if (!got.empty()) {
      EXPECT_EQ(got.back(), venue_->book(s).body()) << s << ": the last line is not the final book";
    }
  }
  EXPECT_EQ(mine, lines.size()) << "lines of no symbol:\n" << run_->text();
  // The REST replies are in the capture too: its replay bridges the same books.
  const Replayed again = replay_text(run_->capture_text(), feed_);
  EXPECT_EQ(again.code, 0) << again.log;
  EXPECT_EQ(again.texts.at(0), run_->text()) << "the capture's replay\n" << again.log;
}

}  // namespace wsbook::testing
