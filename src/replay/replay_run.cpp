// --replay's plan: the live crawl's connections and feeds, rebuilt from the capture's header.
#include "replay/replay.h"

#include <set>

namespace wsbook {
namespace {

// What the venue was asked for, and how the books were kept, at `depth`.
bool same_requests(const Venue& venue, const std::vector<std::string>& symbols, std::size_t a, std::size_t b) {
  const auto rest_a = venue.rest_snapshots(a), rest_b = venue.rest_snapshots(b);
  return venue.subscribe(symbols, a) == venue.subscribe(symbols, b) && venue.kept_depth(a) == venue.kept_depth(b) &&
         rest_a.has_value() == rest_b.has_value() && (!rest_a || rest_a->levels == rest_b->levels);
}

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

ReplayRefusal refuse_replay(const capture::Header& header, const Venue& venue, std::size_t depth) {
  if (header.connections.empty()) return {1, "the capture's header names no connection"};
  std::set<std::string> seen;
  for (const auto& c : header.connections) {
    if (c.symbols.empty()) {
      return {1, "the capture's header has a connection without symbols (a --raw capture made without --symbol)"};
    }
    for (const std::string& s : c.symbols) {
      if (s.empty() || !seen.insert(s).second) return {1, "the capture's header names a symbol twice, or an empty one"};
    }
  }
  if (header.depth != 0 && !same_requests(venue, header.connections.front().symbols, header.depth, depth)) {
    return {2, "--depth " + std::to_string(depth) + ": the capture was recorded at --depth " +
                   std::to_string(header.depth) + ", and " + std::string(venue.name()) +
                   " would have been asked for other books (replay at --depth " + std::to_string(header.depth) +
                   " or less)"};
  }
  return {};
}

int replay_capture(CaptureFile& file, const capture::Header& header, const Venue& venue, const FeedOptions& base,
                   const ReplayOutputs& outputs, std::optional<std::uint64_t> count, ReplayOptions options,
                   const Log& log) {
  if (const ReplayRefusal no = refuse_replay(header, venue, base.depth); no.code != 0) {
    log.error(no.reason);
    return no.code;
  }
  const auto feeds = make_feeds(venue, feed_options_of(header, base, outputs.outputs.size() == 1), log);
  std::vector<Feed*> feed_ptrs;
  for (const auto& f : feeds) feed_ptrs.push_back(f.get());
  LineRouter router(outputs.outputs, book_outputs_of(header, outputs.of_symbol), count, log);
  return Replayer(header, feed_ptrs, router, options, log).run(file);
}

}  // namespace wsbook
