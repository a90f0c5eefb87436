#include "crawl_harness.h"

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

std::unique_ptr<Feed> make_test_feed(const FeedSpec& spec, const Log& log) {
  if (spec.exchange == "raw") return make_raw_feed(spec.options.subscribe);
  return make_feed(*find_venue(spec.exchange), spec.options, log);
}

}  // namespace

CrawlRun::CrawlRun(CrawlOptions options, FeedSpec feed, bool failing_output)
    : output_(failing_output),
      log_file_(open_memstream(&log_buf_, &log_size_)),
      log_(LogLevel::debug, log_file_),
      feed_(make_test_feed(feed, log_)),
      crawler_(std::move(options), *feed_, output_, log_) {
  thread_ = std::thread([this] { exit_code_ = crawler_.run(); });
}

CrawlRun::~CrawlRun() {
  if (thread_.joinable()) {
    crawler_.stop();
    thread_.join();
  }
  std::fclose(log_file_);
  std::free(log_buf_);
}

bool CrawlRun::wait_lines(std::size_t n, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (lines().size() >= n) return true;
    std::this_thread::sleep_for(5ms);
  }
  return lines().size() >= n;
}

int CrawlRun::stop() {
  if (thread_.joinable()) {
    crawler_.stop();
    thread_.join();
  }
  return exit_code_;
}

int CrawlRun::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (exit_code_ < 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  if (exit_code_ < 0) return -1;
  thread_.join();
  return exit_code_;
}

std::string CrawlRun::log_text() const {
  std::fflush(log_file_);
  return std::string(log_buf_, log_size_);
}

}  // namespace wsbook::testing
