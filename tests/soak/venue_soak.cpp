// Fault soak of every multi-symbol venue: coinbase, kraken, okx, bybit and
// binance at once, each crawled by the real wsbook binary (three symbols on one
// connection) from its own test exchange, which breaks it at random
// (soak/venue_exchange.h). Afterwards every line is checked against the true
// books (soak/venue_lines.h). Prints the counts; exits 1 on any wrong,
// out-of-order or torn line, or a wrong exit code.
//   wsbook_venue_soak WSBOOK_BINARY [FAULTS=1000] [OUT_DIR=/tmp] [SEED=time]
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>

#include "soak/soak_args.h"
#include "soak/venue_exchange.h"
#include "soak/venue_lines.h"
#include "support/child_process.h"

namespace wsbook::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Lock = std::lock_guard<std::mutex>;
namespace fs = std::filesystem;

const std::vector<VenueSpec> kVenues = {
    {"coinbase", {"BTC-USD", "ETH-USD", "SOL-USD"}, 5, "/", false},
    {"kraken", {"BTC/USD", "ETH/USD", "SOL/USD"}, 10, "/v2", true},  // its window is the line depth
    {"okx", {"BTC-USDT", "ETH-USDT", "SOL-USDT"}, 8, "/ws/v5/public", false},
    {"bybit", {"BTCUSDT", "ETHUSDT", "SOLUSDT"}, 5, "/v5/public/spot", true},
    {"binance", {"BTCUSDT", "ETHUSDT", "SOLUSDT"}, 10, "/stream", false},
};

/// One venue's soak: its exchange, and wsbook crawling it.
struct Crawl {
  Crawl(const VenueSpec& spec, std::uint32_t seed, std::atomic<int>& total, const std::atomic<bool>& stopping)
      : run(spec, seed, total, stopping),
        server(std::make_unique<TestExchange>([this](Connection& c) { serve_venue(c, run); })) {}

  VenueRun run;
  std::unique_ptr<TestExchange> server;
  std::unique_ptr<ChildProcess> child;
  std::optional<int> code;  // wsbook's exit; nullopt while it runs
  fs::path dir;
  LineTally tally;
};

std::string out_path(const Crawl& w) { return (w.dir / (w.run.spec.tagged ? "all.txt" : "{symbol}.txt")).string(); }

// wsbook at the venue's test exchange: every symbol on one connection, fast backoff, a 1 s stale timeout.
std::vector<std::string> wsbook_args(const std::string& binary, const Crawl& w) {
  const VenueSpec& v = w.run.spec;
  const std::string host = "127.0.0.1:" + std::to_string(w.server->port());
  std::string symbols;
  for (const std::string& s : v.symbols) symbols += (symbols.empty() ? "" : ",") + s;
  std::vector<std::string> args = {binary, "--exchange", v.name, "-s", symbols, "--url", "wss://" + host + v.path};
  args.insert(args.end(), {"--cafile", w.server->ca_file(), "-o", out_path(w), "-d", std::to_string(v.depth)});
  args.insert(args.end(), {"--stale-timeout", "1", "--backoff-min", "0.01", "--backoff-max", "0.05"});
  if (w.run.binance) args.insert(args.end(), {"--rest-url", "https://" + host});
  return args;
}

// Once wsbook was told to stop (SIGTERM): waits for it, then ends the exchange, so that every book it sent
// is in the true books; checks the lines.
void finish(Crawl& w) {
  if (!w.code) w.code = w.child->wait(10s);
  std::ofstream(w.dir / "wsbook.log") << w.child->err();
  w.server.reset();
  std::map<std::string, StateWalk> walks;
  for (const std::string& s : w.run.spec.symbols) walks.try_emplace(s, w.run.venue->book(s), w.run.binance != nullptr);
  const auto read = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  };
  if (w.run.spec.tagged) return check_output(read(w.dir / "all.txt"), w.run.spec.name, "", walks, w.tally);
  for (const std::string& s : w.run.spec.symbols) {
    check_output(read(w.dir / (s + ".txt")), w.run.spec.name, s, walks, w.tally);
  }
}

void print_counts(const char* head, const std::array<int, kFaults>& by_kind) {
  std::printf("%s", head);
  for (int f = 0; f < kFaults; ++f) {
    if (by_kind[f] > 0) std::printf(" %s %d,", kFaultNames[f], by_kind[f]);
  }
  std::printf("\n");
}

// Per venue: faults by kind, connections, lines and verdicts, and what wsbook did about each in-band fault.
bool print_venue(const Crawl& w) {
  const VenueRun& r = w.run;
  const LineTally& t = w.tally;
  int faults = 0;
  for (int n : r.faults) faults += n;
  std::printf(
      "venue soak: %-8s %4d faults, %4d connections, %7zu lines, %zu wrong, %zu out of order, %zu torn, "
      "wsbook exit %d\n",
      r.spec.name.c_str(), faults, r.websockets, t.lines, t.wrong, t.out_of_order, t.torn, w.code.value_or(-1));
  print_counts("venue soak:            by kind:", r.faults);
  std::printf("venue soak:            wsbook did:");
  for (int f = 0; f < kFaults; ++f) {
    const auto& did = r.reactions[f];
    if (std::all_of(did.begin(), did.end(), [](int n) { return n == 0; })) continue;
    std::printf(" %s:", kFaultNames[f]);
    for (int h = 0; h < kReactions; ++h) {
      if (did[h] > 0) std::printf(" %s %d", kReactionNames[h], did[h]);
    }
    std::printf(";");
  }
  std::printf("\n");
  int unanswered_faults = 0;  // a broken book not rebuilt, a silence not noticed
  for (const auto& did : r.reactions) unanswered_faults += did[unanswered];
  return t.wrong == 0 && t.out_of_order == 0 && t.torn == 0 && t.lines > 0 && w.code == 0 && unanswered_faults == 0;
}

// Runs every venue at once until `faults` were injected over all of them, at least a twentieth
// (and two) in each (Binance's snapshots are paced to one a second), or until the deadline.
bool soak(std::vector<std::unique_ptr<Crawl>>& crawls, int faults, const std::atomic<int>& total) {
  const auto deadline = Clock::now() + 60s + faults * 1s;
  bool early = false, each = false;
  while ((total < faults || !each) && Clock::now() < deadline && !early) {
    each = true;
    for (auto& w : crawls) {
      if (!w->code) w->code = w->child->wait(20ms);
      early |= w->code.has_value();
      each &= faults_of(w->run) >= std::max(2, faults / 20);
    }
  }
  if (early || total < faults) std::printf("venue soak: stopped early: %d of %d faults\n", total.load(), faults);
  return !early && total >= faults;
}

int soak_main(const std::string& binary, int faults, const fs::path& dir, std::uint32_t seed) {
  std::printf("venue soak: seed %u (give it as the 4th argument to run these faults again)\n", seed);
  std::fflush(stdout);
  std::atomic<int> total{0};
  std::atomic<bool> stopping{false};
  std::vector<std::unique_ptr<Crawl>> crawls;
  const auto start = Clock::now();
  for (std::size_t i = 0; i < kVenues.size(); ++i) {
    auto& w = *crawls.emplace_back(
        std::make_unique<Crawl>(kVenues[i], seed + 7919u * static_cast<std::uint32_t>(i), total, stopping));
    w.dir = dir / "wsbook-venue-soak" / kVenues[i].name;
    fs::remove_all(w.dir);
    fs::create_directories(w.dir);
    w.child = std::make_unique<ChildProcess>(wsbook_args(binary, w));
  }
  bool ok = soak(crawls, faults, total);
  stopping = true;
  for (auto& w : crawls) {
    if (!w->code) w->child->signal(SIGTERM);
  }
  for (auto& w : crawls) finish(*w);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::array<int, kFaults> by_kind{};
  LineTally all;
  for (auto& w : crawls) {
    ok &= print_venue(*w);
    for (int f = 0; f < kFaults; ++f) by_kind[f] += w->run.faults[f];
    all.wrong += w->tally.wrong;
    all.out_of_order += w->tally.out_of_order;
    all.torn += w->tally.torn;
  }
  std::printf("venue soak: %d faults over %zu venues in %.0f s, %zu wrong, %zu out of order, %zu torn; seed %u\n",
              total.load(), crawls.size(), seconds, all.wrong, all.out_of_order, all.torn, seed);
  print_counts("venue soak: by kind:", by_kind);
  std::printf("venue soak: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace wsbook::testing

int main(int argc, char** argv) {
  const auto args = wsbook::testing::soak_args(
      argc, argv, "wsbook_venue_soak WSBOOK_BINARY [FAULTS=1000] [OUT_DIR=/tmp] [SEED=time]");
  if (!args) return 2;
  const std::uint32_t seed = args->more.empty()
                                 ? static_cast<std::uint32_t>(std::time(nullptr))
                                 : static_cast<std::uint32_t>(std::strtoul(args->more[0].c_str(), nullptr, 10));
  return wsbook::testing::soak_main(args->binary, args->faults, args->dir, seed);
}
