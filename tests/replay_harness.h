#pragma once
// Replays a capture (its text, as a crawl recorded it) in-process, through the
// same code as `wsbook --replay`, into memory.

#include <optional>
#include <string>
#include <vector>

#include "wsbook/feed.h"

namespace wsbook::testing {

/// What a replay wrote.
struct Replayed {
  int code = -1;                   ///< its exit code
  std::vector<std::string> texts;  ///< each output's text
  std::string log;                 ///< its log
};

/// How to replay, besides the feed options.
struct ReplaySpec {
  std::size_t outputs = 1;                 ///< MemoryOutputs to write to
  std::vector<std::size_t> of_symbol{};    ///< per symbol of the capture: its output
  std::chrono::milliseconds interval{0};   ///< --interval
  std::optional<std::uint64_t> count{};    ///< --count
};

/// Replays `capture` through feeds made with `base` (symbols come from the capture).
Replayed replay_text(const std::string& capture, const FeedOptions& base, const ReplaySpec& spec = {});

}  // namespace wsbook::testing
