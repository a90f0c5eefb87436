#pragma once
// The command line: an options struct filled by one setup function.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wsbook/crawler.h"
#include "wsbook/feed.h"
#include "wsbook/venue.h"

namespace wsbook {

/// Everything the command line says, checked.
struct CliOptions {
  std::vector<std::string> symbols;  ///< in the order given: the --symbol lists, then --symbols-file's lines
  std::string symbols_file;          ///< --symbols-file, "" for none
  std::string out = "-";  ///< "-" is standard output; a path ending in .zst is compressed
  std::optional<int> compress_level;  ///< --compress-level of .zst outputs; none: zstd's default (3)
  std::size_t depth = 10;
  std::size_t max_levels = 200'000;
  std::string exchange;  ///< a venue name, or "" for: from --feed or the URL (gemini unless "/v2/")
  std::string url;       ///< "" for the venue's own
  std::string rest_url;  ///< "" for the venue's own REST base (venues whose books start over REST)
  std::string feed;      ///< gemini-v1, gemini-v2, raw (the older spelling of --exchange and --raw)
  std::string subscribe;
  std::vector<std::string> headers;
  std::string cafile;
  bool insecure = false;
  std::optional<std::uint64_t> count;
  std::optional<double> duration;  ///< seconds
  double stale_timeout = 30;
  double symbol_stale_timeout = 600;  ///< seconds a symbol may be silent before it is resubscribed alone; 0: never
  std::optional<double> ping_interval;  ///< seconds; default: the venue's
  double backoff_min = 0.5;
  double backoff_max = 30;
  std::optional<std::uint32_t> max_retries;
  bool on_change = false;
  bool markers = false;             ///< --markers: connect, disconnect, gap and resync records too
  std::vector<std::string> fields;  ///< --fields: names of keys to add after ts, checked
  std::optional<std::int64_t> interval;  ///< --interval: ms between lines on the wall clock; none: a line per update
  bool raw = false;      ///< --raw (or --feed raw): the capture is the output, books are not written
  std::string capture;  ///< --capture: the file that records every event for a replay; "" for none
  std::string replay;   ///< --replay: the capture to replay instead of the network ("-": stdin); "" for none
  std::optional<double> replay_speed;  ///< --replay-speed: times the recorded pace; none: as fast as it goes
  std::optional<std::string> proxy;  ///< --proxy URL ("": none, whatever the environment says); unset: https_proxy's
  std::string metrics;     ///< --metrics ADDR:PORT to serve /metrics on; "" for none
  bool no_status = false;  ///< --no-status: no status line even on a terminal
  double stop_timeout = 2;  ///< --stop-timeout: seconds a stop waits for a pipe's reader
  bool quiet = false;
  bool verbose = false;
};

/// Parses argv into `out`. Returns -1 to go on, or the exit code for the caller to
/// return: 0 after --help/--version, 2 after a usage error (reason on stderr).
int parse_command_line(int argc, const char* const* argv, CliOptions& out);

/// The venue whose feeds run; nullptr for --raw of a feed named only by its --url (no --exchange).
const Venue* cli_venue(const CliOptions& cli);

/// The feed the options ask for.
FeedOptions feed_options(const CliOptions& cli);

/// The crawl the options ask for: the URL template (`{symbol}` kept: the crawler fills it in
/// per connection), timeouts, backoff, stops.
CrawlOptions crawl_options(const CliOptions& cli);

}  // namespace wsbook
