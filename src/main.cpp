// wsbook: parse the command line, open the output, run the crawler.
#include <csignal>

#include "wsbook/cli.h"
#include "wsbook/crawler.h"
#include "wsbook/log.h"

namespace {

wsbook::LogLevel log_level(const wsbook::CliOptions& cli) {
  if (cli.quiet) return wsbook::LogLevel::error;
  return cli.verbose ? wsbook::LogLevel::debug : wsbook::LogLevel::info;
}

std::unique_ptr<wsbook::Output> open_output(const std::string& path, const wsbook::Log& log) {
  if (path == "-") return wsbook::make_stdout_output();
  std::string error, warning;
  auto output = wsbook::open_file_output(path, error, warning);
  if (!warning.empty()) log.warn(warning);
  if (!output) log.error(error);
  return output;
}

}  // namespace

int main(int argc, char** argv) {
  wsbook::CliOptions cli;
  if (const int code = wsbook::parse_command_line(argc, argv, cli); code >= 0) return code;
  // A closed pipe or a file size limit must come back as an error from write()
  // (EPIPE, EFBIG) that we handle, not kill us mid-line.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);
  const wsbook::Log log(log_level(cli));
  auto output = open_output(cli.out, log);
  if (!output) return 1;
  const wsbook::Venue* venue = wsbook::cli_venue(cli);
  const wsbook::FeedOptions feed_options = wsbook::feed_options(cli);
  auto feed = venue ? wsbook::make_feed(*venue, feed_options, log) : wsbook::make_raw_feed(feed_options.subscribe);
  wsbook::Crawler crawler(wsbook::crawl_options(cli), *feed, *output, log);
  return crawler.run();
}
