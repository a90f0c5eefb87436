#include "cli_operations.h"

#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <utility>

#include "metrics/listen_address.h"

namespace wsbook {
namespace {

// The first of `names` set in the environment: its name and value; {"", ""} if none is.
std::pair<std::string, std::string> from_environment(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') return {name, v};
  }
  return {};
}

// The proxy's URL and where it comes from ("--proxy", "https_proxy", ...); "" for none.
std::pair<std::string, std::string> proxy_text(const CliOptions& o) {
  if (o.proxy) return {"--proxy", *o.proxy};
  return from_environment({"https_proxy", "HTTPS_PROXY"});
}

// The URL with its user and password hidden, for messages.
std::string redacted(const std::string& url) {
  const auto at = url.rfind('@');
  if (at == std::string::npos) return url;
  const auto scheme = url.find("://");
  const std::size_t start = scheme == std::string::npos || scheme > at ? 0 : scheme + 3;
  return url.substr(0, start) + "***" + url.substr(at);
}

// "" if `text` is seconds within [lo, hi] (or 0, when `zero` says so), else why not.
// NaN and infinities fail too (CLI11's ranges let NaN through).
std::string seconds_error(const std::string& text, double lo, double hi, bool zero) {
  double v = 0;
  try {
    v = std::stod(text);
  } catch (const std::exception&) {
    return "not a number of seconds: " + text;
  }
  if (zero && v == 0) return {};
  if (!std::isfinite(v) || v < lo || v > hi) {
    return std::string(zero ? "must be 0 (never) or " : "must be ") + "between " + CLI::detail::to_string(lo) +
           " and " + CLI::detail::to_string(hi) + " seconds";
  }
  return {};
}

}  // namespace

CLI::Validator seconds_between(double lo, double hi, bool or_zero) {
  return CLI::Validator([lo, hi, or_zero](std::string& text) { return seconds_error(text, lo, hi, or_zero); },
                        "SECONDS");
}

void add_operation_flags(CLI::App& app, CliOptions& o) {
  app.add_option("--metrics", o.metrics, "Serve Prometheus metrics at http://ADDR:PORT/metrics")
      ->type_name("ADDR:PORT")
      ->check([](const std::string& text) {
        std::string error;
        return metrics::parse_listen_address(text, error) ? std::string() : error;
      });
  app.add_option("--proxy", o.proxy, "Tunnel wss and REST through this HTTP proxy (default: https_proxy)")
      ->type_name("URL");
  app.add_flag("--no-status", o.no_status, "No status line on a terminal's stderr (there is none elsewhere)");
  app.add_option("--stop-timeout", o.stop_timeout,
                 "On a stop, wait this long at most for a pipe's reader to take the last lines (default 2)")
      ->check(seconds_between(0, 3600));
}

std::string check_operations(const CliOptions& o) {
  if (!o.metrics.empty() && !o.replay.empty()) return "--metrics shows a live crawl: it does not go with --replay";
  std::string error;
  if (o.proxy && !o.proxy->empty() && !parse_proxy_url(*o.proxy, error)) {
    return "--proxy " + redacted(*o.proxy) + ": " + error;
  }
  return {};
}

std::string proxy_warning(const CliOptions& o) {
  const auto [source, text] = proxy_text(o);
  std::string error;
  if (text.empty() || parse_proxy_url(text, error)) return {};
  return source + " " + redacted(text) + " is not used, connecting directly: " + error;
}

void set_proxy(const CliOptions& o, ConnectionOptions& c) {
  const std::string text = proxy_text(o).second;
  std::string error;
  if (!text.empty()) c.proxy = parse_proxy_url(text, error);
  c.proxy_plain = o.proxy.has_value();  // as curl: https_proxy is for TLS URLs alone
  c.no_proxy = from_environment({"no_proxy", "NO_PROXY"}).second;
}

}  // namespace wsbook
