#pragma once
// Runs a Crawler (one connection, or several) on its own thread against a
// TestExchange, collecting its outputs in memory and its log in a buffer.

#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/scripts.h"
#include "support/test_exchange.h"
#include "support/true_book.h"
#include "wsbook/crawler.h"
#include "wsbook/venue.h"

namespace wsbook::net {
class Connector;
}

namespace wsbook::testing {

/// The v1 target the crawler tests ask for.
inline constexpr const char* kTarget = "/v1/marketdata/BTCUSD?heartbeat=true";
/// Which feed a test crawls with: a venue by --exchange name ("raw": the raw feed).
struct FeedSpec {
  std::string exchange;
  FeedOptions options;
};
/// A Gemini v1 feed of BTCUSD at depth 10.
inline const FeedSpec kV1{"gemini", {.symbols = {"BTCUSD"}}};
/// One connection of a crawl of several: its feed's options, and the output each of its books writes to.
struct ConnectionSpec {
  FeedOptions options;                      ///< its symbols, and how their lines look
  std::vector<std::size_t> book_outputs{};  ///< per symbol (options.symbols order): its output; empty: all to 0
};

/// Output that keeps every write in memory.
class MemoryOutput final : public Output {
 public:
  /// An output that fails every write, like a full disk, if `failing`.
  explicit MemoryOutput(bool failing = false) : failing_(failing) {}
  WriteResult write(std::string_view lines) override {
    if (failing_) return {WriteResult::Status::failed, "cannot write: No space left on device"};
    std::lock_guard lock(mutex_);
    data_.append(lines);
    return {};
  }
  std::string reopen() override { return {}; }
  Placement placement() const override { return {}; }  // like a pipe: no padding
  /// Everything written so far.
  std::string text() const {
    std::lock_guard lock(mutex_);
    return data_;
  }

 private:
  const bool failing_;
  mutable std::mutex mutex_;
  std::string data_;
};

/// Polls `condition` until it holds; true if it did within `timeout` (a wait on a condition, not a sleep).
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

/// Test defaults: our CA, fast backoff, short timeouts, no signal handling.
CrawlOptions test_crawl_options(const TestExchange& server, const std::string& target);

/// A crawler running on its own thread.
class CrawlRun {
 public:
  /// Starts crawling at once; into a failing output (a full disk) if asked; its sessions from
  /// `connector` (a FakeNetwork) if given, else from the network.
  CrawlRun(CrawlOptions options, FeedSpec feed, bool failing_output = false, net::Connector* connector = nullptr);
  /// Starts crawling `exchange` over every one of `connections` at once (each to options.connection.url,
  /// their feeds made by make_feeds()), into `outputs` MemoryOutputs; every event to capture_text() if `capture`.
  CrawlRun(CrawlOptions options, const std::string& exchange, const std::vector<ConnectionSpec>& connections,
           std::size_t outputs, bool capture = false);
  /// Stops the crawler if it still runs and joins it.
  ~CrawlRun();

  /// Waits until at least n lines were written, over every output; true if they were within timeout.
  bool wait_lines(std::size_t n, std::chrono::milliseconds timeout) const;
  /// Stops the crawler and returns its exit code.
  int stop();
  /// Waits for the crawler to end by itself (count, duration, max retries); its exit code, or -1 on timeout.
  int wait_exit(std::chrono::milliseconds timeout);
  /// The lines written to output `output` (the only one, unless there are several).
  std::vector<std::string> lines(std::size_t output = 0) const { return split_lines(text(output)); }
  /// All of output `output`.
  std::string text(std::size_t output = 0) const { return outputs_.at(output)->text(); }
  /// The capture (--capture), if asked for.
  std::string capture_text() const { return capture_ ? capture_->text() : ""; }
  /// How many lines were written over every output.
  std::size_t line_count() const;
  /// The log, once the crawler has ended.
  std::string log_text() const;

 private:
  // Once the crawler has ended: `wsbook check` must find nothing in any output (raw frames excepted).
  void expect_outputs_pass_check();

  std::vector<std::unique_ptr<MemoryOutput>> outputs_;
  std::unique_ptr<MemoryOutput> capture_;
  char* log_buf_ = nullptr;
  std::size_t log_size_ = 0;
  std::FILE* log_file_;
  Log log_;
  std::vector<std::unique_ptr<Feed>> feeds_;
  Crawler crawler_;
  std::atomic<int> exit_code_{-1};
  std::thread thread_;
  bool check_outputs_;
};

}  // namespace wsbook::testing
