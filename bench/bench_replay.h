#pragma once
// Replay against the core: the same frames fed to the feed by hand, and read
// back from a capture by --replay's code (capture parsing, the feed, the line
// router, a discarding output), so that one run gives the ratio.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace wsbook::bench {

/// Feeds `frames` (the first a snapshot) to a fresh feed of `exchange` for `symbol`, all of them each iteration.
void direct_frames(benchmark::State& state, const std::string& exchange, const std::string& symbol,
                   const std::vector<std::string>& frames, const std::string& preamble = "");
/// Replays a capture of `frames` (a frame event each, after `preamble` if any) each iteration.
void replayed_frames(benchmark::State& state, const std::string& exchange, const std::string& symbol,
                     const std::vector<std::string>& frames, const std::string& preamble = "");

}  // namespace wsbook::bench
