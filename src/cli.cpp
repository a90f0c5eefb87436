#include "wsbook/cli.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli_capture.h"
#include "cli_operations.h"
#include "cli_symbols.h"
#include "output/out_path.h"
#include "output/time_path.h"
#include "wsbook/url.h"

namespace wsbook {
namespace {

constexpr const char* kFooter = R"(Output: one JSON line per book update, best levels first:
  {"bids":[[price,amount],...],"asks":[[price,amount],...],"ts":<unix ms>}
ts is the local time the frame was received (unix ms); with --interval MS,
one line per book at each instant that is a multiple of MS on the clock,
ts that instant and the book as the frames received before it left it.
Prices and amounts are the exchange's exact decimals. Nothing is written
until the book's snapshot is in; a sequence gap, a checksum that does not
match, a crossed book or a malformed frame is never written: the book is
rebuilt from a fresh snapshot (by resubscribing the symbol where the venue
allows, else by reconnecting). In a file, a line may end with spaces (JSON
whitespace) so that no line crosses a 4 KiB page: then even SIGKILL leaves
whole lines.

--fields adds keys after ts: exchange, symbol, seq (the venue's sequence or
update id of the last message applied, null where it has none), exchange_ts
(that message's venue time, unix ms, or null), recv_us (when the frame that
completed the book was received, unix us). --markers adds records:
  {"event":"gap","exchange":"okx","symbol":"BTC-USDT","reason":"..","ts":..}
gap: the book stopped being trusted (no line of it until its resync: a fresh
book is in); connect and disconnect name the connection's "symbols" instead.
Two lines of a symbol from different books always have a gap or disconnect
record between them.

Exchanges (--exchange, symbol form, integrity rule):
  gemini      BTCUSD    socket_sequence +1 on every frame (the default)
  gemini-v2   BTCUSD    none: every snapshot starts afresh
  coinbase    BTC-USD   sequence_num +1 on every frame of the connection
  kraken      BTC/USD   CRC32 of the top 10 levels after every message
  okx         BTC-USDT  prevSeqId chains every update to the one before
  bybit       BTCUSDT   u +1 on every update; a snapshot resets the book
  binance     BTCUSDT   a REST snapshot, then each update's U is the last u + 1
  binance-futures       as binance (BTCUSDT); each pu is the last u

Many symbols: repeat -s, comma-separate (-s BTCUSD,ETHUSD) or list them in
--symbols-file (one a line, # comments). gemini takes one connection per
symbol; the other venues carry many symbols on a connection; connections are
planned under the venue's limits (symbols per connection, connection rate).
With many symbols in one stream, each line starts with its book's name:
  {"exchange":"gemini","symbol":"BTCUSD","bids":...
--out may hold {exchange} and {symbol} (the symbol as given, '/' made '-'):
then each symbol has its own file, with the plain line; directories are
created. A symbol silent for --symbol-stale-timeout is resubscribed alone.

--capture FILE records, beside the lines, every frame, REST reply and
connection event, a JSON line each with its receive time in unix us.
--replay FILE rebuilds the books from it with no network: the same lines as
the live run with the same flags, or what another --depth, --interval,
--fields or --markers would have given; --replay-speed X paces it.

Examples:
  wsbook -s BTCUSD -o BTCUSD.txt               append BTCUSD lines to a file
  wsbook --exchange kraken -s BTC/USD -d 5     Kraken's book, top 5 levels
  wsbook -s ethusd -d 5 --count 3 | jq -c .    three lines, top 5 levels, to jq
  wsbook -s BTCUSD --duration 3600 -o h.txt    one hour (e.g. from cron)
  wsbook -s BTCUSD,ETHUSD -s SOLUSD            three books, one stream
  wsbook -e kraken -s BTC/USD,ETH/USD -o 'books/{exchange}/{symbol}.txt'
      one file a pair: books/kraken/BTC-USD.txt, books/kraken/ETH-USD.txt
  wsbook -e binance --symbols-file top100.txt -o all.txt
      every symbol of the file into one file, each line naming its symbol
  wsbook -s BTCUSD --url 'wss://api.gemini.com/v2/marketdata'
      Gemini v2's l2 feed
  wsbook --raw --url wss://example.com/ws --subscribe '{"op":"sub"}'
      capture any feed in --capture's format
  wsbook -e okx -s BTC-USDT -o b.txt --capture cap.jsonl
  wsbook --replay cap.jsonl --interval 1000 -o b1s.txt
      record once, then the books again at one line a second, offline

Logs go to stderr, data to stdout or --out. SIGHUP reopens --out (logrotate).
On a terminal, a status line under the log says how the books are doing;
--metrics 127.0.0.1:9464 serves the same, per symbol, to Prometheus.
An --out ending in .zst is zstd, readable up to its last batch after a crash;
strftime fields in it (UTC: -o 'd/%Y-%m-%d/%H.jsonl') give a file per hour.
wsbook check FILE... reads written files back and reports what is wrong.

Exit codes:
  0  done: --count or --duration reached, SIGINT/SIGTERM, or the reader of
     stdout went away
  1  runtime failure: gave up after --max-retries, every symbol was rejected
     by the venue, cannot create, open or write an --out file, disk full,
     a --replay file that cannot be read or holds a line that is no record,
     the --metrics port is in use, lines lost because the reader of a pipe
     fell too far behind or did not take the last ones within --stop-timeout
  2  usage error: unknown flag, bad value, missing or repeated symbol, a
     symbol in the wrong form, an unreadable --symbols-file, a capture of
     another venue than --exchange)";

void add_output_flags(CLI::App& app, CliOptions& o) {
  // One value per -s (a list is comma-separated), so that a stray word is an error, not a symbol.
  app.add_option("-s,--symbol", o.symbols, "Symbol to crawl, e.g. BTCUSD; repeat or comma-separate for many")
      ->type_name("SYMBOL[,...]")
      ->allow_extra_args(false);
  app.add_option("--symbols-file", o.symbols_file, "File of symbols to crawl too, one a line; '#' starts a comment")
      ->type_name("PATH")
      ->check([](const std::string& path) { return path.empty() ? "--symbols-file needs a path" : ""; });
  app.add_option("-o,--out", o.out, "File to append lines to; '-' for stdout (default); *.zst: compressed");
  app.add_option("--compress-level", o.compress_level, "zstd level of .zst outputs, 1 to 19 (default 3)")
      ->check(CLI::Range(1, 19));
  app.add_option("-d,--depth", o.depth, "Levels per side in each line (default 10)")->check(CLI::Range(1, 1'000'000));
  app.add_option("--max-levels", o.max_levels, "A book side past N levels is broken and rebuilt (default 200000)")
      ->check(CLI::Range(1, 100'000'000));
  app.add_flag("--on-change", o.on_change, "Write only when the best --depth levels changed");
  app.add_flag("--raw", o.raw, "Write what --capture records instead of books (same as --feed raw)");
  app.add_option("--count", o.count, "Exit 0 after writing N book lines (--raw: N frames)")
      ->check(CLI::PositiveNumber);
  app.add_option("--duration", o.duration, "Exit 0 after SECONDS")->check(seconds_between(0.001, 1e8));
}

void add_record_flags(CLI::App& app, CliOptions& o) {
  app.add_flag("--markers", o.markers, "Also write connect, disconnect, gap and resync records");
  app.add_option("--fields", o.fields, "Keys to add after ts: exchange,symbol,seq,exchange_ts,recv_us")
      ->type_name("NAME[,...]")
      ->delimiter(',')
      ->allow_extra_args(false);
  app.add_option("--interval", o.interval, "One line per book at each multiple of MS on the clock")
      ->type_name("MS")
      ->check(CLI::Validator(
          [](std::string& text) {
            const bool digits = !text.empty() && text.size() <= 8 && text.find_first_not_of("0123456789") == std::string::npos;
            const long long v = digits ? std::stoll(text) : 0;
            return v >= 1 && v <= 86'400'000 ? std::string() : "must be whole milliseconds from 1 to 86400000: " + text;
          },
          ""));
}

// "" or why --fields is wrong: an unknown name or one given twice.
std::string check_fields(const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (!find_field(fields[i])) {
      std::string valid;
      for (std::size_t f = 0; f <= static_cast<std::size_t>(LineField::recv_us); ++f) {
        valid += (valid.empty() ? "" : ", ") + std::string(field_name(static_cast<LineField>(f)));
      }
      return "--fields: unknown name '" + fields[i] + "'; the names are " + valid;
    }
    if (std::find(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(i), fields[i]) !=
        fields.begin() + static_cast<std::ptrdiff_t>(i)) {
      return "--fields: '" + fields[i] + "' is named twice";
    }
  }
  return {};
}

std::string exchange_list() {
  std::string list;
  for (std::string_view name : venue_names()) list += (list.empty() ? "" : ", ") + std::string(name);
  return list;
}

void add_connection_flags(CLI::App& app, CliOptions& o) {
  app.add_option("-e,--exchange", o.exchange, "Venue: " + exchange_list() + " (default gemini)")
      ->check([](const std::string& name) {
        return find_venue(name) ? "" : "unknown exchange '" + name + "'; one of: " + exchange_list();
      });
  app.add_option("--url", o.url, "WebSocket URL (wss://; ws:// unencrypted); {symbol} is replaced (default: the exchange's)");
  app.add_option("--rest-url", o.rest_url, "Base URL of REST snapshots, where books start over REST (binance)")
      ->check([](const std::string& u) { return u.starts_with("https://") ? "" : "--rest-url must be https://"; });
  app.add_option("--feed", o.feed, "gemini-v1, gemini-v2 or raw: older names for --exchange and --raw")
      ->check(CLI::IsMember({"gemini-v1", "gemini-v2", "raw"}));
  app.add_option("--subscribe", o.subscribe, "Frame to send after each handshake instead of the exchange's");
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
  app.add_option("--symbol-stale-timeout", o.symbol_stale_timeout,
                 "Resubscribe a symbol alone after SECONDS without a message for it; 0: never (default 600)")
      ->check(seconds_between(1, 86400, true));
  app.add_option("--ping-interval", o.ping_interval, "Send the exchange's keep-alive every SECONDS (default: its own)")
      ->check(seconds_between(0.1, 3600));
  app.add_option("--backoff-min", o.backoff_min, "Shortest wait before reconnecting, seconds (default 0.5)")
      ->check(seconds_between(0.01, 86400));
  app.add_option("--backoff-max", o.backoff_max, "Longest wait before reconnecting, seconds (default 30)")
      ->check(seconds_between(0.01, 86400));
  app.add_option("--max-retries", o.max_retries, "Exit 1 after N failed attempts in a row (default: never)")
      ->check(CLI::PositiveNumber);
  app.add_flag("-q,--quiet", o.quiet, "Log errors only");
  app.add_flag("-v,--verbose", o.verbose, "Log more (every connection step)");
}

bool is_raw(const CliOptions& o) { return o.raw || o.feed == "raw"; }

// --raw of a feed named only by its URL: no venue's feed runs, the frames are captured as they come.
bool raw_of_url(const CliOptions& o) { return is_raw(o) && o.exchange.empty() && !o.url.empty(); }

// The venue named, even with --raw (whose URL and keep-alive it still gives).
const Venue& named_venue(const CliOptions& cli) {
  if (!cli.exchange.empty()) {
    if (const Venue* v = find_venue(cli.exchange)) return *v;
  }
  if (cli.feed == "gemini-v2" || (cli.feed.empty() && cli.url.find("/v2/") != std::string::npos)) {
    return *find_venue("gemini-v2");
  }
  return *find_venue("gemini");
}

// Many symbols need a connection each where the URL names the symbol, and one
// --subscribe frame serves one connection; "" or the reason.
std::string check_many(const CliOptions& o, const Venue& venue) {
  const bool in_url = crawl_options(o).connection.url.find("{symbol}") != std::string::npos;
  const std::size_t per = in_url ? 1 : venue.symbols_per_connection();
  if (o.symbols.size() > 1 && !in_url && per <= 1) {
    return "--url: " + std::string(venue.name()) + " takes a connection per symbol: with many symbols the URL " +
           "must hold {symbol}";
  }
  if (!o.subscribe.empty() && o.symbols.size() > per) {
    return "--subscribe: its one frame serves one connection, and " + std::to_string(o.symbols.size()) +
           " symbols take more than one (at most " + std::to_string(per) + ")";
  }
  return {};
}

// What --out and --capture may name; "" or the reason.
std::string check_paths(const CliOptions& o) {
  if (o.compress_level && !is_zstd_path(o.out) && !is_zstd_path(o.capture)) {
    return "--compress-level: neither --out nor --capture ends in .zst";
  }
  if (auto err = check_time_fields(o.out); !err.empty()) return "--out " + o.out + ": " + err;
  if (names_time(o.capture)) return "--capture is one file: it cannot name times";
  if (!is_raw(o)) return {};
  if (names_symbol(o.out)) return "--raw writes one capture for all symbols: --out cannot name {symbol}";
  if (names_time(o.out)) return "--raw writes one capture: --out cannot name times";
  return {};
}

// Checks that span flags, and the symbol list made whole; "" or the reason.
std::string check(CliOptions& o) {
  if (o.raw && !o.feed.empty() && o.feed != "raw") return "--raw conflicts with --feed " + o.feed;
  if (!o.exchange.empty() && !o.feed.empty()) return "--exchange and --feed exclude each other";
  if (auto reason = check_fields(o.fields); !reason.empty()) return reason;
  if (o.quiet && o.verbose) return "--quiet and --verbose exclude each other";
  if (auto reason = check_paths(o); !reason.empty()) return reason;
  if (!o.replay.empty()) return {};  // the capture names the venue, the symbols and the connections
  o.raw = is_raw(o);
  if (o.raw && (o.markers || !o.fields.empty() || o.interval || o.on_change)) {
    return "--raw writes frames, not books: --markers, --fields, --interval and --on-change do not apply";
  }
  const Venue& venue = named_venue(o);
  const SymbolSources sources{o.symbols, o.symbols_file, raw_of_url(o) ? nullptr : &venue};
  if (auto reason = collect_symbols(sources, o.symbols); !reason.empty()) return reason;
  const auto rest = venue.rest_snapshots(o.depth);
  if (!o.rest_url.empty() && !rest) {
    return "--rest-url: " + std::string(venue.name()) + " books start in the stream, not over REST";
  }
  // A book rebuilds once its known levels are fewer than a line's: a snapshot
  // must hold twice the line, or the first move of the market would rebuild it.
  if (rest && 2 * o.depth > rest->levels) {
    return "--depth: " + std::string(venue.name()) + " snapshots hold " + std::to_string(rest->levels) +
           " levels: lines of at most " + std::to_string(rest->levels / 2);
  }
  std::string error;
  if (!o.rest_url.empty() && !parse_https_url(o.rest_url, error)) return "--rest-url: " + error;
  if (o.backoff_max < o.backoff_min) return "--backoff-max must not be less than --backoff-min";
  if (o.symbols.empty() && o.out.find("{symbol}") != std::string::npos) return "--out names {symbol}: give --symbol";
  const std::string first = o.symbols.empty() ? std::string() : o.symbols.front();
  const auto url = parse_ws_url(expand_symbol(crawl_options(o).connection.url, first), error);
  if (!url) return "--url: " + error;
  if (!url->tls && !rest && (!o.cafile.empty() || o.insecure)) {
    return std::string(o.insecure ? "--insecure" : "--cafile") + " is for TLS: a ws:// --url has none";
  }
  return raw_of_url(o) ? std::string() : check_many(o, venue);
}

int usage_error(const std::string& reason) {
  std::cerr << "wsbook: " << reason << "\nUsage: wsbook -s SYMBOL [-o FILE] [options]\n"
            << "Run 'wsbook --help' for the options.\n";
  return 2;
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
  add_record_flags(app, out);
  add_capture_flags(app, out);
  add_operation_flags(app, out);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }
  if (auto reason = check_capture(app, out); !reason.empty()) return usage_error(reason);
  if (auto reason = check_operations(out); !reason.empty()) return usage_error(reason);
  if (auto reason = check(out); !reason.empty()) return usage_error(reason);
  return -1;
}

const Venue* cli_venue(const CliOptions& cli) { return raw_of_url(cli) ? nullptr : &named_venue(cli); }

namespace {

std::chrono::milliseconds ms(double seconds) { return std::chrono::milliseconds(static_cast<long long>(seconds * 1000)); }

BackoffOptions backoff_options(const CliOptions& cli) {
  return {ms(cli.backoff_min), ms(cli.backoff_max), cli.max_retries};
}

}  // namespace

FeedOptions feed_options(const CliOptions& cli) {
  FeedOptions f;
  f.rest_url = cli.rest_url;
  f.backoff = backoff_options(cli);
  f.backoff.max_retries.reset();  // a symbol's snapshot is fetched again as long as the crawl runs
  f.symbols = cli.symbols;
  f.symbol_stale = ms(cli.symbol_stale_timeout);
  f.depth = cli.depth;
  f.on_change = cli.on_change;
  f.markers = cli.markers;
  for (const std::string& name : cli.fields) f.fields.push_back(*find_field(name));
  if (cli.interval) f.interval = std::chrono::milliseconds(*cli.interval);
  f.max_levels = cli.max_levels;
  if (!cli.subscribe.empty()) f.subscribe.push_back(cli.subscribe);
  return f;
}

CrawlOptions crawl_options(const CliOptions& cli) {
  const Venue& venue = named_venue(cli);
  CrawlOptions c;
  c.connection.url = cli.url.empty() ? venue.default_url() : cli.url;  // the crawler fills {symbol} in
  c.connection.headers = cli.headers;
  c.connection.cafile = cli.cafile;
  c.connection.insecure = cli.insecure;
  c.connection.stale_timeout = ms(cli.stale_timeout);
  set_proxy(cli, c.connection);
  c.connection.send_spacing = venue.send_spacing();
  c.connects_per_minute = venue.connects_per_minute();
  c.messages_per_second = venue.messages_per_second();
  const KeepAlive keep = venue.keep_alive();
  c.keep_alive_frame = keep.frame;
  c.keep_alive_interval = cli.ping_interval ? ms(*cli.ping_interval) : keep.interval;
  c.backoff = backoff_options(cli);
  c.count = cli.count;
  if (cli.duration) c.duration = ms(*cli.duration);
  if (cli.interval) c.interval = std::chrono::milliseconds(*cli.interval);
  c.exchange = raw_of_url(cli) ? "raw" : std::string(venue.name());
  c.metrics = cli.metrics;
  c.stop_timeout = ms(cli.stop_timeout);
  return c;
}

}  // namespace wsbook
