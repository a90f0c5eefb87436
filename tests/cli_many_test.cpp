// The real binary with many symbols: a connection per Gemini v1 symbol, one
// file per symbol from an --out template or one tagged stream, --count over
// all of them, and a template that cannot be created.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <mutex>

#include "cli_util.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;

// Per symbol a true book; each connection serves the one its URL names:
// the snapshot, five updates, then waits.
struct TwoBooks {
  TwoBooks() {
    books["BTCUSD"].fill(650000, 5);
    books["ETHUSD"].fill(20000, 5);
  }
  TestExchange::Script script() {
    return [this](Connection& c) {
      if (!c.accept()) return;
      const std::string symbol = c.request_target().find("ETHUSD") != std::string::npos ? "ETHUSD" : "BTCUSD";
      TrueBook& book = books[symbol];
      std::uint32_t rng = symbol == "BTCUSD" ? 1 : 2;
      {
        std::lock_guard lock(mutex);
        c.send_text(book.initial_frame());
        for (int i = 0; i < 5; ++i) c.send_text(book.random_update(rng));
      }
      c.wait_closed(5s);
    };
  }
  std::mutex mutex;
  std::map<std::string, TrueBook> books;
};

// The book part of a line, without its tag, its padding and its ts.
std::string body_of(const std::string& line) {
  const auto bids = line.find("\"bids\"");
  const auto ts = line.rfind(",\"ts\":");
  return "{" + line.substr(bids, ts - bids);
}

std::vector<std::string> bodies(const std::vector<std::string>& lines, const std::string& tag) {
  std::vector<std::string> out;
  for (const std::string& l : lines) {
    if (tag.empty() || l.starts_with(tag)) out.push_back(body_of(l));
  }
  return out;
}

TEST(CliMany, OneFilePerSymbolFromTheTemplateWithItsDirectories) {
  TwoBooks books;
  TestExchange server(books.script());
  const fs::path dir = fs::path(::testing::TempDir()) / ("wsbook_many_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string out = (dir / "{exchange}" / "{symbol}.txt").string();
  const auto r = run_to_end(wsbook_args(server, {"-s", "BTCUSD,ETHUSD", "-o", out, "--count", "12"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(server.connections(), 2);
  for (const std::string symbol : {"BTCUSD", "ETHUSD"}) {
    const std::string text = read_file(dir / "gemini" / (symbol + ".txt"));
    const auto lines = split_lines(text);
    EXPECT_THAT(text, ::testing::Not(HasSubstr("\"symbol\""))) << "one symbol per file: today's line";
    EXPECT_EQ(bodies(lines, ""), books.books[symbol].history()) << symbol << "\n" << r.err;
    EXPECT_EQ(check_findings(symbol + ".txt", text), "");
  }
  fs::remove_all(dir);
}

TEST(CliMany, OneStreamTagsEveryLineWithExchangeAndSymbol) {
  TwoBooks books;
  TestExchange server(books.script());
  const auto r = run_to_end(wsbook_args(server, {"--symbol", "BTCUSD", "-s", "ETHUSD", "--count", "12"}));
  EXPECT_EQ(r.code, 0) << r.err;
  const auto lines = split_lines(r.out);
  EXPECT_EQ(lines.size(), 12u);
  for (const std::string symbol : {"BTCUSD", "ETHUSD"}) {
    const std::string tag = R"({"exchange":"gemini","symbol":")" + symbol + R"(","bids":)";
    EXPECT_EQ(bodies(lines, tag), books.books[symbol].history()) << symbol << "\n" << r.out;
  }
  EXPECT_EQ(check_findings("stdout", r.out), "");
  EXPECT_THAT(r.err, HasSubstr("2 connections planned"));
  EXPECT_THAT(r.err, HasSubstr("[ETHUSD] connected to"));
}

TEST(CliMany, CountIsOverEverySymbol) {
  TwoBooks books;
  TestExchange server(books.script());
  const auto r = run_to_end(wsbook_args(server, {"-s", "BTCUSD,ETHUSD", "--count", "7"}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(split_lines(r.out).size(), 7u);
}

TEST(CliMany, ATemplateThatCannotBeCreatedExits1WithThePathBeforeConnecting) {
  TwoBooks books;
  TestExchange server(books.script());
  const fs::path file = fs::path(::testing::TempDir()) / ("wsbook_plain_" + std::to_string(::getpid()));
  std::ofstream(file) << "a file, not a directory\n";
  const std::string out = (file / "{symbol}.txt").string();
  const auto r = run_to_end(wsbook_args(server, {"-s", "BTCUSD,ETHUSD", "-o", out}));
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr((file / "BTCUSD.txt").string()));
  EXPECT_EQ(server.connections(), 0);
  fs::remove(file);
}

TEST(CliMany, SighupReopensEveryFile) {
  TwoBooks books;
  TestExchange server(books.script());
  const fs::path dir = fs::path(::testing::TempDir()) / ("wsbook_hup_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  ChildProcess child(wsbook_args(server, {"-s", "BTCUSD,ETHUSD", "-o", (dir / "{symbol}.txt").string()}));
  const auto lines_in = [&](const std::string& symbol) { return split_lines(read_file(dir / (symbol + ".txt"))).size(); };
  for (int i = 0; i < 500 && (lines_in("BTCUSD") < 6 || lines_in("ETHUSD") < 6); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(lines_in("BTCUSD"), 6u);
  fs::rename(dir / "BTCUSD.txt", dir / "BTCUSD.txt.1");
  fs::rename(dir / "ETHUSD.txt", dir / "ETHUSD.txt.1");
  child.signal(SIGHUP);
  for (int i = 0; i < 500 && !(fs::exists(dir / "BTCUSD.txt") && fs::exists(dir / "ETHUSD.txt")); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(fs::exists(dir / "BTCUSD.txt"));
  EXPECT_TRUE(fs::exists(dir / "ETHUSD.txt"));
  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(5s), 0);
  EXPECT_THAT(child.err(), HasSubstr("reopened the 2 outputs (SIGHUP)"));
  for (const char* name : {"BTCUSD.txt.1", "ETHUSD.txt.1", "BTCUSD.txt", "ETHUSD.txt"}) {
    EXPECT_EQ(check_findings(name, read_file(dir / name)), "");
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wsbook::testing
