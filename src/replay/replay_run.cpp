// --replay's plan: the live crawl's connections and feeds, rebuilt from the capture's header.
#include "replay/replay.h"

namespace wsbook {
namespace {

std::size_t symbols_in(const capture::Header& header) {
  std::size_t n = 0;
  for (const auto& c : header.connections) n += c.symbols.size();
  return n;
}

std::vector<FeedOptions> feed_options_of(const capture::Header& header, const FeedOptions& base, bool one_output) {
  const bool many = symbols_in(header) > 1;
  std::vector<FeedOptions> options;
  for (const capture::PlannedConnection& c : header.connections) {
    FeedOptions o = base;
    o.symbols = c.symbols;
    if (!o.tag_lines) o.tag_lines = one_output && many;
    o.symbol_stale = std::chrono::milliseconds(header.symbol_stale_ms);  // what the recorded ticks acted on
    options.push_back(std::move(o));
  }
  return options;
}

std::vector<std::vector<std::size_t>> book_outputs_of(const capture::Header& header,
                                                      const std::vector<std::size_t>& of_symbol) {
  std::vector<std::vector<std::size_t>> books;
  std::size_t first = 0;
  for (const auto& c : header.connections) {
    books.emplace_back();
    for (std::size_t b = 0; b < c.symbols.size(); ++b, ++first) {
      books.back().push_back(first < of_symbol.size() ? of_symbol[first] : 0);
    }
  }
  return books;
}

}  // namespace

int replay_capture(CaptureFile& file, const capture::Header& header, const Venue& venue, const FeedOptions& base,
                   const ReplayOutputs& outputs, std::optional<std::uint64_t> count, ReplayOptions options,
                   const Log& log) {
  const auto feeds = make_feeds(venue, feed_options_of(header, base, outputs.outputs.size() == 1), log);
  std::vector<Feed*> feed_ptrs;
  for (const auto& f : feeds) feed_ptrs.push_back(f.get());
  LineRouter router(outputs.outputs, book_outputs_of(header, outputs.of_symbol), count, log);
  return Replayer(header, feed_ptrs, router, options, log).run(file);
}

}  // namespace wsbook
