// The status line: on a terminal, one line redrawn in place under the log;
// never anywhere else. The binary runs with stderr on a pseudo-terminal.
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>

#include <gmock/gmock.h>

#include <algorithm>
#include <functional>
#include <regex>

#include "cli_util.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kClear = "\r\033[K";

// Runs `argv` with its terminal a pseudo-terminal 200 columns wide; SIGTERM once `enough` says so of
// what it wrote (or after 20 s). Everything it wrote to the terminal, "\r\n" made "\n" again.
std::string run_on_terminal(const std::vector<std::string>& argv, const std::function<bool(const std::string&)>& enough) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  winsize size{};
  size.ws_col = 200;
  size.ws_row = 50;
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
  if (pid == 0) {
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  std::string text;
  const auto give_up = std::chrono::steady_clock::now() + 20s;
  bool signalled = false;
  for (int idle = 0; idle < 200;) {  // reads until the terminal closes (EIO once the child is gone)
    if (!signalled && (enough(text) || std::chrono::steady_clock::now() >= give_up)) {
      ::kill(pid, SIGTERM);
      signalled = true;
    }
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) {
      idle += signalled ? 1 : 0;
      continue;
    }
    char buf[4096];
    const ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(master);
  int status = 0;
  ::waitpid(pid, &status, 0);
  for (std::size_t at; (at = text.find("\r\n")) != std::string::npos;) text.replace(at, 2, "\n");
  return text;
}

std::vector<std::string> split(const std::string& text, std::string_view by) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at; (at = text.find(by, start)) != std::string::npos; start = at + by.size()) {
    parts.push_back(text.substr(start, at - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

TEST(CliStatus, OnATerminalOneLineIsRedrawnUnderTheScrollingLog) {
  const fs::path dir = temp_dir();
  StreamingExchange ex(1000, 10ms);
  const std::regex status(R"(1/1 book trusted, \d+ lines/s, 0 reconnects, oldest frame \d+\.\d s ago \(BTCUSD\))");
  // Two redraws of a trusted book.
  const auto two_drawn = [&status](const std::string& t) {
    const auto parts = split(t, kClear);
    return std::count_if(parts.begin(), parts.end(), [&status](const std::string& p) {
             return std::regex_search(p, status);
           }) >= 3;  // the last one may still be coming
  };
  const std::string text = run_on_terminal(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", (dir / "b.txt").string()}),
                                           two_drawn);
  const std::regex log_line(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \w+ .*)");
  std::size_t drawn = 0;
  const std::vector<std::string> parts = split(text, kClear);
  ASSERT_GT(parts.size(), 2u) << text;
  for (const std::string& part : parts) {
    // What a clear is followed by: log lines, each whole, then the status line, not ended (no scroll).
    const std::size_t last = part.rfind('\n');
    const std::string tail = last == std::string::npos ? part : part.substr(last + 1);
    for (const std::string& line : split_lines(part.substr(0, last == std::string::npos ? 0 : last + 1))) {
      EXPECT_TRUE(std::regex_match(line, log_line)) << "not a log line: " << line;
    }
    if (tail.empty()) continue;
    if (std::regex_match(tail, status)) ++drawn;
    else EXPECT_THAT(tail, ::testing::StartsWith("0/1 book trusted")) << "not a status line: " << tail;
  }
  EXPECT_GE(drawn, 2u) << text;
  EXPECT_EQ(text.back(), '\n') << "the status line is taken away before the end: " << text;
  EXPECT_THAT(text, HasSubstr("lines written"));
  EXPECT_EQ(read_file(dir / "b.txt").find('\033'), std::string::npos);
  fs::remove_all(dir);
}

TEST(CliStatus, NoStatusLineWithNoStatusOrQuietEvenOnATerminal) {
  const fs::path dir = temp_dir();
  for (const char* flag : {"--no-status", "-q"}) {
    StreamingExchange ex(1000, 10ms);  // its first connection only gets a book
    const fs::path out = dir / (std::string(flag).substr(1) + ".txt");
    // A status line would have been drawn before the first connection, and again a second later.
    const auto start = std::chrono::steady_clock::now();
    const std::string text = run_on_terminal(
        wsbook_args(ex.server, {"-s", "BTCUSD", "-o", out.string(), flag}), [&](const std::string&) {
          return !read_file(out).empty() && std::chrono::steady_clock::now() - start > 1500ms;
        });
    EXPECT_FALSE(read_file(out).empty()) << flag;
    EXPECT_THAT(text, Not(HasSubstr("\033["))) << flag;
    EXPECT_THAT(text, Not(HasSubstr("trusted, "))) << flag;
  }
  fs::remove_all(dir);
}

// With no -o the lines go to the terminal too: a status line drawn over them would wipe them.
TEST(CliStatus, NoStatusLineWhenTheLinesThemselvesGoToTheTerminal) {
  StreamingExchange ex(1000, 10ms);
  const auto start = std::chrono::steady_clock::now();
  const std::string text = run_on_terminal(wsbook_args(ex.server, {"-s", "BTCUSD"}), [&](const std::string& t) {
    return split_lines(t).size() > 20 && std::chrono::steady_clock::now() - start > 1500ms;
  });
  EXPECT_GT(split_lines(text).size(), 20u);
  EXPECT_THAT(text, Not(HasSubstr("\033[")));
  EXPECT_THAT(text, Not(HasSubstr("trusted, ")));
}

}  // namespace
}  // namespace wsbook::testing
