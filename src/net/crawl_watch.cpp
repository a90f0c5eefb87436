#include "crawl_watch.h"

#include <unistd.h>

#include "metrics/status_line.h"

namespace wsbook::net {
namespace {

constexpr std::chrono::seconds kRedraw{1};

}  // namespace

CrawlWatch::CrawlWatch(boost::asio::io_context& ioc, const Log& log, Snapshot snapshot)
    : log_(log), snapshot_(std::move(snapshot)), status_timer_(ioc) {
  server_.emplace(ioc, [this] { return metrics::render_exposition(snapshot_(true)); });
}

CrawlWatch::~CrawlWatch() = default;

std::string CrawlWatch::serve(const std::string& address) {
  std::string error;
  const auto at = metrics::parse_listen_address(address, error);
  if (!at) return "--metrics " + address + ": " + error;
  if (error = server_->listen(*at); !error.empty()) return "cannot serve metrics on " + address + ": " + error;
  log_.info("metrics at http://" + server_->bound() + "/metrics");
  return {};
}

void CrawlWatch::show_status() {
  showing_ = true;
  last_at_ = std::chrono::steady_clock::now();
  redraw();
}

void CrawlWatch::redraw() {
  if (!showing_) return;
  const auto now = std::chrono::steady_clock::now();
  const metrics::CrawlSnapshot s = snapshot_(false);
  const double seconds = std::chrono::duration<double>(now - last_at_).count();
  const double rate = seconds > 0.1 ? static_cast<double>(s.lines - last_lines_) / seconds : 0.0;
  last_lines_ = s.lines;
  last_at_ = now;
  log_.status(metrics::status_text(s, rate, metrics::terminal_columns(STDERR_FILENO)));
  status_timer_.expires_after(kRedraw);
  status_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) redraw();
  });
}

void CrawlWatch::stop() {
  server_->close();
  if (!showing_) return;
  showing_ = false;
  status_timer_.cancel();
  log_.status("");
}

}  // namespace wsbook::net
