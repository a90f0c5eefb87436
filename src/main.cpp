// wsbook: parse the command line, open the outputs, plan the connections, crawl.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <ctime>
#include <map>
#include <string_view>

#include "check/check_main.h"
#include "cli_operations.h"
#include "output/out_path.h"
#include "output/time_path.h"
#include "plan/connection_plan.h"
#include "replay/replay.h"
#include "wsbook/cli.h"
#include "wsbook/crawler.h"
#include "wsbook/log.h"
#include "wsbook/url.h"

namespace {

using namespace wsbook;

LogLevel log_level(const CliOptions& cli) {
  if (cli.quiet) return LogLevel::error;
  return cli.verbose ? LogLevel::debug : LogLevel::info;
}

// Hundreds of files and sockets need more descriptors than the usual soft limit of 1024.
void raise_file_limit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
}

// A live crawl cannot wait for a pipe's reader (it writes from a thread of its own); a replay can.
bool is_live(const CliOptions& cli) { return cli.replay.empty(); }

// A templated path's directories are made for it; a plain path's must be there.
// A path ending in .zst is compressed.
std::unique_ptr<Output> open_file(const std::string& path, bool templated, const CliOptions& cli, const Log& log,
                                  std::string& error) {
  if (error = templated ? make_parent_dirs(path) : ""; !error.empty()) return nullptr;
  std::string warning;
  auto output = is_zstd_path(path) ? open_zstd_output(path, cli.compress_level.value_or(3), error, warning)
                                   : open_file_output(path, error, warning, is_live(cli));
  if (!warning.empty()) log.warn(warning);
  return output;
}

// A path with time fields is a file per time its lines name, each opened as its first line comes
// (the file of `start_s` at once).
std::unique_ptr<Output> open_output(const std::string& path, bool templated, const CliOptions& cli, const Log& log,
                                    std::int64_t start_s) {
  if (path == "-") return make_stdout_output(is_live(cli));
  std::string error;
  auto output = names_time(path) ? make_time_output(
                                       path,
                                       [&cli, &log](const std::string& name, std::string& err) {
                                         return open_file(name, true, cli, log, err);
                                       },
                                       start_s, error)
                                 : open_file(path, templated, cli, log, error);
  if (!output) log.error(error);
  return output;
}

// The outputs, and for each symbol the one it writes to: one per symbol if
// --out names {symbol}, else one for all. Empty if one cannot be opened.
struct Outputs {
  std::vector<std::unique_ptr<Output>> owned;
  std::vector<std::size_t> of_symbol;
};

// start_s: the time of the first lines (now; a replay's recorded start).
bool open_outputs(const CliOptions& cli, std::string_view exchange, const Log& log, Outputs& out,
                  std::int64_t start_s) {
  std::map<std::string, std::size_t> by_path;
  const std::vector<std::string> one{""};
  for (const std::string& symbol : names_symbol(cli.out) ? cli.symbols : one) {
    const std::string path = out_path(cli.out, exchange, symbol);
    auto [it, added] = by_path.try_emplace(path, out.owned.size());
    if (added) {
      out.owned.push_back(open_output(path, path != cli.out, cli, log, start_s));
      if (!out.owned.back()) return false;
    }
    out.of_symbol.push_back(it->second);
  }
  out.of_symbol.resize(std::max<std::size_t>(cli.symbols.size(), 1), 0);  // one output: every symbol's
  return true;
}

std::string label_of(const std::vector<std::string>& symbols) {
  if (symbols.empty()) return {};
  return "[" + symbols.front() + (symbols.size() > 1 ? " +" + std::to_string(symbols.size() - 1) : "") + "] ";
}

// One feed per planned connection, and where each connection's books write.
struct Plan {
  std::vector<std::unique_ptr<Feed>> feeds;
  std::vector<CrawlConnection> connections;
};

Plan plan_crawl(const CliOptions& cli, const Venue* venue, const CrawlOptions& crawl, const Outputs& outputs,
                const Log& log) {
  Plan plan;
  const std::string& url = crawl.connection.url;
  if (venue == nullptr) {  // --raw of a feed named by its URL: one connection
    plan.feeds.push_back(make_raw_feed(feed_options(cli).subscribe));
    const std::string symbol = cli.symbols.empty() ? "" : cli.symbols.front();
    plan.connections.push_back({expand_symbol(url, symbol), plan.feeds.back().get()});
    plan.connections.back().symbols = cli.symbols;
    return plan;
  }
  const auto groups = plan_connections(*venue, cli.symbols, url);
  std::vector<FeedOptions> options;
  std::size_t first = 0;
  for (const auto& group : groups) {
    FeedOptions o = feed_options(cli);
    o.symbols = group;
    o.tag_lines = outputs.owned.size() == 1 && cli.symbols.size() > 1;
    options.push_back(std::move(o));
    CrawlConnection c{expand_symbol(url, group.size() == 1 ? group.front() : ""), nullptr};
    c.symbols = group;
    for (std::size_t i = 0; i < group.size(); ++i) c.book_outputs.push_back(outputs.of_symbol.at(first + i));
    if (groups.size() > 1) c.label = label_of(group);
    plan.connections.push_back(std::move(c));
    first += group.size();
  }
  plan.feeds = make_feeds(*venue, options, log);
  for (std::size_t i = 0; i < plan.feeds.size(); ++i) plan.connections[i].feed = plan.feeds[i].get();
  return plan;
}

// --replay: the capture's events through the feeds and outputs a live crawl would have had.
int replay(CliOptions& cli, const Log& log) {
  CaptureFile file(cli.replay);
  capture::Header header;
  if (const std::string err = file.read_header(header); !err.empty()) {
    log.error(err);
    return 1;
  }
  // A --raw capture of a feed named by its URL replays as the venue --exchange names.
  if (header.exchange == "raw" && !cli.exchange.empty()) header.exchange = cli.exchange;
  const Venue* venue = find_venue(header.exchange);
  if (header.exchange == "raw") {
    log.error("the capture is of a feed named by its --url alone: give --exchange to replay it as that venue's");
    return 2;
  }
  if (venue == nullptr || (!cli.exchange.empty() && cli.exchange != header.exchange)) {
    log.error("the capture is of " + header.exchange +
              (venue == nullptr ? ", which wsbook cannot replay" : ", not --exchange " + cli.exchange));
    return 2;
  }
  if (const ReplayRefusal no = refuse_replay(header, *venue, cli.depth); no.code != 0) {
    log.error(no.reason);
    return no.code;
  }
  cli.symbols.clear();
  for (const auto& c : header.connections) cli.symbols.insert(cli.symbols.end(), c.symbols.begin(), c.symbols.end());
  Outputs outputs;
  if (!open_outputs(cli, venue->name(), log, outputs, header.us / 1'000'000)) return 1;
  ReplayOutputs sinks{{}, outputs.of_symbol};
  for (auto& o : outputs.owned) sinks.outputs.push_back(o.get());
  FeedOptions base = feed_options(cli);
  base.tag_lines.reset();  // as the live crawl decided: many symbols in one output are tagged
  const ReplayOptions options{std::chrono::milliseconds(cli.interval.value_or(0)), cli.replay_speed.value_or(0), true};
  return replay_capture(file, header, *venue, base, sinks, cli.count, options, log);
}

// The log of a live crawl goes through a queue where stderr can block (`2>&1 | less`, Ctrl-S),
// so that it cannot stop the crawl or a SIGTERM. At the end it drains within what is left of
// --stop-timeout since the stop (the outputs' wait took its share), but never in less than a
// moment: a reader that keeps up gets the last lines, the summary among them, whatever the timeout.
class LogQueue {
 public:
  LogQueue(const CliOptions& cli, Log& log)
      : log_(log), out_(is_live(cli) ? make_stderr_output() : nullptr), timeout_(crawl_options(cli).stop_timeout) {
    if (out_) log_.send_to(*out_);
  }
  ~LogQueue() { finish(std::nullopt); }
  LogQueue(const LogQueue&) = delete;
  LogQueue& operator=(const LogQueue&) = delete;

  // Once: the crawl began to stop at `stopped_at` (unset: now).
  void finish(std::optional<std::chrono::steady_clock::time_point> stopped_at) {
    if (!out_ || finished_) return;
    finished_ = true;
    constexpr std::chrono::milliseconds kMoment{200};
    const auto now = std::chrono::steady_clock::now();
    out_->finish(std::max(now + kMoment, stopped_at.value_or(now) + timeout_));
    log_.detach();
  }

 private:
  Log& log_;
  std::unique_ptr<Output> out_;
  std::chrono::milliseconds timeout_;
  bool finished_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "check") return check::run_check(argc - 1, argv + 1);
  CliOptions cli;
  if (const int code = parse_command_line(argc, argv, cli); code >= 0) return code;
  // A closed pipe or a file size limit must come back as an error from write()
  // (EPIPE, EFBIG) that we handle, not kill us mid-line.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  raise_file_limit();
  Log log(log_level(cli));
  LogQueue log_queue(cli, log);
  if (!cli.replay.empty()) return replay(cli, log);
  const Venue* venue = cli_venue(cli);
  Outputs outputs;
  if (!open_outputs(cli, venue ? venue->name() : "raw", log, outputs, std::time(nullptr))) return 1;
  CrawlOptions crawl = crawl_options(cli);
  // For a person at a terminal only: never in a pipe, a file or the journal, nor where
  // the lines themselves go to the terminal (a redraw would wipe them).
  const bool lines_on_terminal = cli.out == "-" && ::isatty(STDOUT_FILENO) == 1;
  crawl.status_line = !cli.quiet && !cli.no_status && ::isatty(STDERR_FILENO) == 1 && !lines_on_terminal;
  if (const std::string w = proxy_warning(cli); !w.empty()) log.warn(w);
  Plan plan = plan_crawl(cli, venue, crawl, outputs, log);
  std::unique_ptr<Output> capture_out;
  if (cli.raw) {  // the capture is the output; the books' lines go nowhere
    capture_out = std::move(outputs.owned.front());
    outputs.owned.front() = make_discard_output();
  } else if (!cli.capture.empty() && !(capture_out = open_output(cli.capture, false, cli, log, std::time(nullptr)))) {
    return 1;
  }
  std::vector<Output*> sinks;
  for (auto& o : outputs.owned) sinks.push_back(o.get());
  const FeedOptions feed = feed_options(cli);
  const CaptureTarget capture{capture_out.get(), venue ? std::string(venue->name()) : "raw", feed.symbol_stale,
                              feed.depth, cli.raw};
  Crawler crawler(std::move(crawl), std::move(plan.connections), std::move(sinks), log, capture);
  const int code = crawler.run();
  log_queue.finish(crawler.stopped_at());
  return code;
}
