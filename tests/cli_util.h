#pragma once
// Helpers for the tests that run the real wsbook binary.

#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "check_util.h"
#include "support/child_process.h"
#include "support/scripts.h"
#include "support/test_exchange.h"
#include "support/true_book.h"
#include "wsbook/cli.h"

namespace wsbook::testing {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline const std::string kBinary = WSBOOK_BINARY;

/// wsbook pointed at our server, trusting its CA, with fast backoff; then `extra`.
inline std::vector<std::string> wsbook_args(const TestExchange& server, std::vector<std::string> extra) {
  std::vector<std::string> args = {kBinary, "--url", server.url("/v1/marketdata/{symbol}?heartbeat=true"),
                                   "--cafile", server.ca_file(), "--backoff-min", "0.02", "--backoff-max", "0.1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

/// The whole content of a file ("" if missing).
inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A fresh directory for the running test.
inline fs::path temp_dir() {
  fs::path dir = fs::temp_directory_path() / ("wsbook-cli-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

/// What parse_command_line made of a command line, in this process.
struct Parsed {
  int code = 0;     ///< -1: go on; else the exit code
  CliOptions cli;   ///< the options, as parse_command_line left them
  std::string err;  ///< what it wrote to stderr
};

/// parse_command_line on `args` (the program name first), stderr captured.
inline Parsed parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  Parsed p;
  ::testing::internal::CaptureStderr();
  p.code = parse_command_line(static_cast<int>(argv.size()), argv.data(), p.cli);
  p.err = ::testing::internal::GetCapturedStderr();
  return p;
}

/// A server streaming `updates` frames `gap` apart after the initial book.
struct StreamingExchange {
  explicit StreamingExchange(int updates, std::chrono::milliseconds gap = 0ms)
      : server([this, updates, gap](Connection& c) {
          if (!c.accept() || c.index() > 0) return;
          c.send_text(book.initial_frame());
          std::uint32_t seed = 11;
          for (int i = 0; i < updates && c.send_text(book.random_update(seed)); ++i) std::this_thread::sleep_for(gap);
          c.wait_closed(10s);
        }) {
    book.fill(650000, 40);
  }
  TrueBook book;
  TestExchange server;
};

}  // namespace wsbook::testing
