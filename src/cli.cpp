#include "wsbook/cli.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iostream>

#include "wsbook/url.h"

namespace wsbook {
namespace {

constexpr const char* kFooter = R"(Output: one JSON line per book update, best levels first:
  {"bids":[[price,amount],...],"asks":[[price,amount],...],"ts":<unix ms>}
Prices and amounts are the exchange's exact decimals. Nothing is written until the
connection's initial snapshot is in; a sequence gap, a crossed book or a malformed
frame drops the connection and the book is rebuilt from a fresh snapshot. In a file,
a line may end with spaces (JSON whitespace) so that no line crosses a 4 KiB page:
then even SIGKILL leaves whole lines.

Examples:
  wsbook -s BTCUSD -o BTCUSD.txt               append BTCUSD lines to a file, forever
  wsbook -s ethusd -d 5 --count 3 | jq -c .    three lines, top 5 levels, to jq
  wsbook -s BTCUSD --duration 3600 -o h.txt    one hour (e.g. from cron)
  wsbook -s BTCUSD --url 'wss://api.gemini.com/v2/marketdata'   Gemini v2 l2 feed
  wsbook --raw --url wss://example.com/ws --subscribe '{"op":"sub"}'   capture any feed

Logs go to stderr, data to stdout or --out. SIGHUP reopens --out (logrotate).

Exit codes:
  0  done: --count or --duration reached, SIGINT/SIGTERM, or the reader of stdout went away
  1  runtime failure: gave up after --max-retries, cannot open or write the output, disk full
  2  usage error: unknown flag, bad value, missing --symbol)";

// Seconds within [lo, hi]; NaN and infinities fail too (CLI11's ranges let NaN through).
CLI::Validator seconds_between(double lo, double hi) {
  return CLI::Validator(
      [lo, hi](std::string& text) -> std::string {
        double v = 0;
        try {
          v = std::stod(text);
        } catch (const std::exception&) {
          return "not a number of seconds: " + text;
        }
        if (!std::isfinite(v) || v < lo || v > hi) {
          return "must be between " + CLI::detail::to_string(lo) + " and " + CLI::detail::to_string(hi) + " seconds";
        }
        return {};
      },
      "SECONDS");
}

void add_output_flags(CLI::App& app, CliOptions& o) {
  app.add_option("-s,--symbol", o.symbol, "Symbol to crawl, e.g. BTCUSD (any case)");
  app.add_option("-o,--out", o.out, "File to append lines to; '-' for stdout (default)");
  app.add_option("-d,--depth", o.depth, "Levels per side in each line (default 10)")->check(CLI::Range(1, 1'000'000));
  app.add_flag("--on-change", o.on_change, "Write only when the best --depth levels changed");
  app.add_flag("--raw", o.raw, "Write every frame as {\"ts\":..,\"frame\":..} (same as --feed raw)");
  app.add_option("--count", o.count, "Exit 0 after writing N lines")->check(CLI::PositiveNumber);
  app.add_option("--duration", o.duration, "Exit 0 after SECONDS")->check(seconds_between(0.001, 1e8));
}

void add_connection_flags(CLI::App& app, CliOptions& o) {
  app.add_option("--url", o.url, "WebSocket URL; {symbol} is replaced (default: Gemini v1 with heartbeats)");
  app.add_option("--feed", o.feed, "gemini-v1, gemini-v2 or raw (default: v2 if the URL path has /v2/)")
      ->check(CLI::IsMember({"gemini-v1", "gemini-v2", "raw"}));
  app.add_option("--subscribe", o.subscribe, "Frame to send after each handshake (v2 default: l2 for the symbol)");
  app.add_option("--header", o.headers, "Extra handshake header 'Name: value' (repeatable)")
      ->check([](const std::string& h) {
        const auto colon = h.find(':');
        return colon == std::string::npos || colon == 0 ? "header must look like 'Name: value'" : "";
      });
  app.add_option("--cafile", o.cafile, "PEM file of trusted CAs instead of the system store")->check(CLI::ExistingFile);
  app.add_flag("--insecure", o.insecure, "Do not verify the server certificate (warns on every connect)");
}

void add_resilience_flags(CLI::App& app, CliOptions& o) {
  app.add_option("--stale-timeout", o.stale_timeout, "Reconnect after SECONDS without a frame (default 30)")
      ->check(seconds_between(0.1, 86400));
  app.add_option("--backoff-min", o.backoff_min, "Shortest wait before reconnecting, seconds (default 0.5)")
      ->check(seconds_between(0.01, 86400));
  app.add_option("--backoff-max", o.backoff_max, "Longest wait before reconnecting, seconds (default 30)")
      ->check(seconds_between(0.01, 86400));
  app.add_option("--max-retries", o.max_retries, "Exit 1 after N failed attempts in a row (default: never)")
      ->check(CLI::PositiveNumber);
  app.add_flag("-q,--quiet", o.quiet, "Log errors only");
  app.add_flag("-v,--verbose", o.verbose, "Log more (every connection step)");
}

// Checks that span flags; "" or the reason.
std::string check(const CliOptions& o) {
  if (o.symbol.empty() && !o.raw && o.feed != "raw") return "--symbol is required";
  // The symbol goes into a URL path and a JSON subscribe frame unescaped.
  if (o.symbol.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
      std::string::npos) {
    return "--symbol may hold only letters, digits, '_' and '-'";
  }
  if (o.backoff_max < o.backoff_min) return "--backoff-max must not be less than --backoff-min";
  if (o.quiet && o.verbose) return "--quiet and --verbose exclude each other";
  if (o.raw && !o.feed.empty() && o.feed != "raw") return "--raw conflicts with --feed " + o.feed;
  std::string error;
  if (!parse_wss_url(expand_symbol(o.url, o.symbol), error)) return "--url: " + error;
  return {};
}

}  // namespace

int parse_command_line(int argc, const char* const* argv, CliOptions& out) {
  CLI::App app{"wsbook: crawl an exchange's order book over WebSocket, one JSON line per update.", "wsbook"};
  app.set_version_flag("--version", std::string("wsbook ") + WSBOOK_VERSION);
  app.footer(kFooter);
  app.get_formatter()->column_width(34);
  add_output_flags(app, out);
  add_connection_flags(app, out);
  add_resilience_flags(app, out);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "wsbook: " << e.what() << "\nUsage: wsbook -s SYMBOL [-o FILE] [options]\n"
              << "Run 'wsbook --help' for the options.\n";
    return 2;
  }
  if (auto reason = check(out); !reason.empty()) {
    std::cerr << "wsbook: " << reason << "\nUsage: wsbook -s SYMBOL [-o FILE] [options]\n"
              << "Run 'wsbook --help' for the options.\n";
    return 2;
  }
  return -1;
}

FeedOptions feed_options(const CliOptions& cli) {
  FeedOptions f;
  const std::string url = expand_symbol(cli.url, cli.symbol);
  if (cli.raw || cli.feed == "raw") f.kind = FeedKind::raw;
  else if (cli.feed == "gemini-v2") f.kind = FeedKind::gemini_v2;
  else if (cli.feed == "gemini-v1") f.kind = FeedKind::gemini_v1;
  else f.kind = url.find("/v2/") != std::string::npos ? FeedKind::gemini_v2 : FeedKind::gemini_v1;
  f.symbol = cli.symbol;
  f.depth = cli.depth;
  f.on_change = cli.on_change;
  return f;
}

CrawlOptions crawl_options(const CliOptions& cli) {
  using std::chrono::milliseconds;
  const auto ms = [](double seconds) { return milliseconds(static_cast<long long>(seconds * 1000)); };
  CrawlOptions c;
  c.connection.url = expand_symbol(cli.url, cli.symbol);
  c.connection.headers = cli.headers;
  c.connection.cafile = cli.cafile;
  c.connection.insecure = cli.insecure;
  c.connection.subscribe = cli.subscribe;
  if (c.connection.subscribe.empty() && feed_options(cli).kind == FeedKind::gemini_v2) {
    std::string symbol = cli.symbol;
    std::transform(symbol.begin(), symbol.end(), symbol.begin(), [](unsigned char ch) { return std::toupper(ch); });
    c.connection.subscribe = R"({"type":"subscribe","subscriptions":[{"name":"l2","symbols":[")" + symbol + R"("]}]})";
  }
  c.connection.stale_timeout = ms(cli.stale_timeout);
  c.backoff.min = ms(cli.backoff_min);
  c.backoff.max = ms(cli.backoff_max);
  c.backoff.max_retries = cli.max_retries;
  c.count = cli.count;
  if (cli.duration) c.duration = ms(*cli.duration);
  return c;
}

}  // namespace wsbook
