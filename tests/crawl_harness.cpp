#include "crawl_harness.h"

#include <gtest/gtest.h>

#include "check_util.h"

namespace wsbook::testing {

using namespace std::chrono_literals;

CrawlOptions test_crawl_options(const TestExchange& server, const std::string& target) {
  CrawlOptions o;
  o.connection.url = server.url(target);
  o.connection.cafile = server.ca_file();
  o.connection.step_timeout = 3s;
  o.connection.stale_timeout = 2s;
  o.backoff.min = 20ms;
  o.backoff.max = 100ms;
  o.flush_interval = 1ms;
  o.handle_signals = false;
  return o;
}

namespace {

std::vector<std::unique_ptr<Feed>> make_test_feed(const FeedSpec& spec, const Log& log) {
  std::vector<std::unique_ptr<Feed>> feeds;
  if (spec.exchange == "raw") feeds.push_back(make_raw_feed(spec.options.subscribe));
  else feeds.push_back(make_feed(*find_venue(spec.exchange), spec.options, log));
  return feeds;
}

std::vector<std::unique_ptr<MemoryOutput>> memory_outputs(std::size_t n, bool failing = false) {
  std::vector<std::unique_ptr<MemoryOutput>> outputs;
  for (std::size_t i = 0; i < n; ++i) outputs.push_back(std::make_unique<MemoryOutput>(failing));
  return outputs;
}

std::vector<FeedOptions> options_of(const std::vector<ConnectionSpec>& connections) {
  std::vector<FeedOptions> options;
  for (const ConnectionSpec& c : connections) options.push_back(c.options);
  return options;
}

// As the tool plans it: "[<first symbol> +<others>] " before each connection's log lines when there are several.
std::vector<CrawlConnection> plan_of(const std::vector<ConnectionSpec>& connections,
                                     const std::vector<std::unique_ptr<Feed>>& feeds, const std::string& url) {
  std::vector<CrawlConnection> plan;
  for (std::size_t i = 0; i < connections.size(); ++i) {
    const std::vector<std::string>& symbols = connections[i].options.symbols;
    std::string label;
    if (connections.size() > 1 && !symbols.empty()) {
      label = "[" + symbols.front() + (symbols.size() > 1 ? " +" + std::to_string(symbols.size() - 1) : "") + "] ";
    }
    plan.push_back({url, feeds.at(i).get(), connections[i].book_outputs, label, symbols});
  }
  return plan;
}

std::vector<Output*> sinks_of(const std::vector<std::unique_ptr<MemoryOutput>>& outputs) {
  std::vector<Output*> sinks;
  for (const auto& o : outputs) sinks.push_back(o.get());
  return sinks;
}

}  // namespace

CrawlRun::CrawlRun(CrawlOptions options, FeedSpec feed, bool failing_output, net::Connector* connector)
    : outputs_(memory_outputs(1, failing_output)),
      log_file_(open_memstream(&log_buf_, &log_size_)),
      log_(LogLevel::debug, log_file_),
      feeds_(make_test_feed(feed, log_)),
      crawler_(std::move(options), *feeds_.front(), *outputs_.front(), log_),
      check_outputs_(feed.exchange != "raw") {
  if (connector != nullptr) crawler_.use_connector(*connector);
  thread_ = std::thread([this] { exit_code_ = crawler_.run(); });
}

CrawlRun::CrawlRun(CrawlOptions options, const std::string& exchange, const std::vector<ConnectionSpec>& connections,
                   std::size_t outputs, bool capture)
    : outputs_(memory_outputs(outputs)),
      capture_(capture ? std::make_unique<MemoryOutput>() : nullptr),
      log_file_(open_memstream(&log_buf_, &log_size_)),
      log_(LogLevel::debug, log_file_),
      feeds_(make_feeds(*find_venue(exchange), options_of(connections), log_)),
      crawler_(options, plan_of(connections, feeds_, options.connection.url), sinks_of(outputs_), log_,
               {capture_.get(), exchange, connections.empty() ? std::chrono::milliseconds(0)
                                                              : connections.front().options.symbol_stale,
                connections.empty() ? 10 : connections.front().options.depth}),
      check_outputs_(true) {
  thread_ = std::thread([this] { exit_code_ = crawler_.run(); });
}

CrawlRun::~CrawlRun() {
  if (thread_.joinable()) {
    crawler_.stop();
    thread_.join();
    expect_outputs_pass_check();
  }
  std::fclose(log_file_);
  std::free(log_buf_);
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

bool CrawlRun::wait_lines(std::size_t n, std::chrono::milliseconds timeout) const {
  return eventually([&] { return line_count() >= n; }, timeout);
}

std::size_t CrawlRun::line_count() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < outputs_.size(); ++i) n += lines(i).size();
  return n;
}

int CrawlRun::stop() {
  if (thread_.joinable()) {
    crawler_.stop();
    thread_.join();
    expect_outputs_pass_check();
  }
  return exit_code_;
}

int CrawlRun::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (exit_code_ < 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  if (exit_code_ < 0) return -1;
  thread_.join();
  expect_outputs_pass_check();
  return exit_code_;
}

void CrawlRun::expect_outputs_pass_check() {
  if (!check_outputs_) return;
  for (std::size_t i = 0; i < outputs_.size(); ++i) {
    EXPECT_EQ(check_findings("output " + std::to_string(i), text(i)), "");
  }
}

std::string CrawlRun::log_text() const {
  std::fflush(log_file_);
  return std::string(log_buf_, log_size_);
}

}  // namespace wsbook::testing
