// Fault soak: our test exchange injects random faults (drops, gaps, stalls,
// garbage, wrong schema, close frames, 429s, crossed books, binary frames)
// into connection after connection while the real wsbook binary crawls it.
// Afterwards every written line is checked against the exchange's own log of
// its true book. Prints the counts; exits 1 on any wrong or torn line.
//   wsbook_soak WSBOOK_BINARY [FAULTS=1000] [OUT_DIR=/tmp]
#include <signal.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_set>

#include "soak/soak_args.h"
#include "support/child_process.h"
#include "support/test_exchange.h"
#include "support/true_book.h"

namespace wsbook::testing {
namespace {

using namespace std::chrono_literals;

enum Fault { drop, gap, stall, garbage, schema, close_1001, http_429, crossed, binary, kFaults };
constexpr std::array<const char*, kFaults> kFaultNames = {"drop",       "gap",      "stall",   "garbage", "schema",
                                                          "close 1001", "HTTP 429", "crossed", "binary"};

struct Soak {
  std::mutex mutex;
  std::unordered_set<std::string> truths;  // every state of every connection's book
  std::array<int, kFaults> injected{};
  std::atomic<int> total{0};

  void remember(const TrueBook& book, Fault fault) {
    std::lock_guard lock(mutex);
    truths.insert(book.truths().begin(), book.truths().end());
    ++injected[fault];
    ++total;
  }
};

void inject(Connection& c, TrueBook& book, Fault fault) {
  switch (fault) {
    case drop: return c.drop();
    case gap: book.skip_sequence(); c.send_text(book.update_frame(TrueSide::bid, 1, 1)); break;
    case stall: c.stall(1500ms); break;
    case garbage: c.send_text("\x1f\x8b garbage {{{"); break;
    case schema: c.send_text(R"({"type":"update","socket_sequence":"seven","events":{}})"); break;
    case close_1001: c.close(1001, "going away"); return;
    case crossed: {
      // An ask far below every bid: the exchange's own book is crossed now.
      c.send_text(book.update_frame(TrueSide::ask, 2, 1));
      break;
    }
    case binary: c.send_binary(std::string("\x00\xff\x10", 3)); break;
    default: break;
  }
}

void run_connection(Connection& c, Soak& soak) {
  std::mt19937 rng(static_cast<unsigned>(c.index()) * 7919u + 17u);
  const auto fault = static_cast<Fault>(rng() % kFaults);
  TrueBook book;
  if (fault == http_429) {
    if (c.tls_handshake() && !c.read_http_request().empty()) {
      c.respond_http(429, {{"Retry-After", rng() % 4 == 0 ? "1" : "0"}}, "slow down");
    }
    return soak.remember(book, fault);
  }
  if (!c.accept()) return;
  // Each connection's book lives at its own prices: a ghost level from an
  // earlier connection would make a line no book ever had.
  book.fill(1'000'000 + 10'000 * (c.index() % 500), 5 + static_cast<int>(rng() % 60));
  std::uint32_t seed = static_cast<std::uint32_t>(rng());
  bool alive = c.send_text(book.initial_frame());
  const int updates = static_cast<int>(rng() % 300);
  for (int i = 0; i < updates && alive; ++i) {
    alive = c.send_text(i % 9 == 4 ? book.heartbeat() : book.random_update(seed));
  }
  if (alive) inject(c, book, fault);
  soak.remember(book, fault);
  c.wait_closed(3s);
}

struct Verdict {
  std::size_t lines = 0, wrong = 0, torn = 0;
};

Verdict check_output(const std::string& text, const Soak& soak) {
  Verdict v;
  if (!text.empty() && text.back() != '\n') ++v.torn;
  for (auto line : split_lines(text)) {
    ++v.lines;
    line.erase(line.find_last_not_of(' ') + 1);  // the padding that keeps lines off page boundaries
    if (line.rfind(R"({"bids":)", 0) != 0 || line.find(R"(,"ts":)") == std::string::npos || line.back() != '}') {
      ++v.torn;
    } else if (!soak.truths.count(line_body(line))) {
      ++v.wrong;
      if (v.wrong <= 3) std::fprintf(stderr, "wrong snapshot: %s\n", line.c_str());
    }
  }
  return v;
}

int soak_main(const std::string& binary, int faults, const std::filesystem::path& dir) {
  Soak soak;
  auto server = std::make_unique<TestExchange>([&](Connection& c) { run_connection(c, soak); });
  const std::filesystem::path out = dir / "wsbook-soak.txt";
  std::filesystem::remove(out);
  const auto start = std::chrono::steady_clock::now();
  ChildProcess child({binary, "-s", "BTCUSD", "--url", server->url("/v1/marketdata/{symbol}?heartbeat=true"),
                      "--cafile", server->ca_file(), "-o", out.string(), "--stale-timeout", "1",
                      "--backoff-min", "0.01", "--backoff-max", "0.05"});
  while (soak.total < faults && !child.wait(100ms)) {
  }
  child.signal(SIGTERM);
  const auto code = child.wait(10s);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Ending the server joins every connection's script, so each book it sent
  // from is in `truths` before the lines are checked.
  const int connections = server->connections();
  server.reset();
  std::ifstream in(out, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::lock_guard lock(soak.mutex);
  const Verdict v = check_output(text, soak);
  const int reconnects = connections - 1;
  std::printf("soak: %.0f s, %d faults injected:", seconds, soak.total.load());
  for (int f = 0; f < kFaults; ++f) std::printf(" %s %d,", kFaultNames[f], soak.injected[f]);
  // Every fault needs a reconnect; the last one's may still be under way when we stop.
  std::printf("\nsoak: %d reconnects for %d faults that needed one, %zu lines, %zu wrong snapshots, "
              "%zu torn lines, wsbook exit %d\n",
              reconnects, soak.total.load() - 1, v.lines, v.wrong, v.torn, code.value_or(-1));
  const bool ok = v.wrong == 0 && v.torn == 0 && v.lines > 0 && reconnects >= soak.total - 1 && code == 0;
  std::printf("soak: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace wsbook::testing

int main(int argc, char** argv) {
  const auto args = wsbook::testing::soak_args(argc, argv, "wsbook_soak WSBOOK_BINARY [FAULTS=1000] [OUT_DIR=/tmp]");
  return args ? wsbook::testing::soak_main(args->binary, args->faults, args->dir) : 2;
}
