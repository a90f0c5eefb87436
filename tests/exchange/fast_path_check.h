#pragma once
// The differential check of a venue's fast path: whatever frame it takes, the
// general (simdjson) path takes too, into the same ParsedFrame. Frames near a
// real one (a byte deleted, replaced or added anywhere) test its refusals.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "wsbook/venue.h"

namespace wsbook::testing {

/// A venue's fast path: true only when it read `frame` into `out`.
using FastPath = bool (*)(std::string_view frame, ParsedFrame& out);

/// Whether `fast` took `frame`; a failure if it took it into anything but what `general` gives.
inline bool fast_agrees(FastPath fast, VenueParser& general, std::string_view frame) {
  ParsedFrame fast_out, general_out;
  if (!fast(frame, fast_out)) return false;
  const std::string_view err = general.parse(frame, general_out);
  EXPECT_EQ(err, "") << "the fast path took a frame the general path refuses: " << frame;
  EXPECT_TRUE(fast_out == general_out) << "the two paths read differently: " << frame;
  return true;
}

/// Every frame one edit away from `frame`: each byte deleted, replaced by a
/// byte that matters to JSON, or preceded by one.
inline std::vector<std::string> near_frames(std::string_view frame) {
  static constexpr std::string_view kBytes = " \"\\-0159.,:[]{}eEx\n";
  std::vector<std::string> out;
  for (std::size_t i = 0; i < frame.size(); ++i) {
    std::string deleted(frame);
    out.push_back(deleted.erase(i, 1));
    for (const char b : kBytes) {
      std::string replaced(frame), inserted(frame);
      replaced[i] = b;
      out.push_back(std::move(replaced));
      out.push_back(inserted.insert(i, 1, b));
    }
  }
  for (const char b : kBytes) out.push_back(std::string(frame) + b);
  return out;
}

/// fast_agrees() over near_frames(); how many of them the fast path took.
inline std::size_t near_frames_agree(FastPath fast, VenueParser& general, std::string_view frame) {
  std::size_t taken = 0;
  for (const std::string& f : near_frames(frame)) {
    if (fast_agrees(fast, general, f)) ++taken;
    if (::testing::Test::HasFailure()) break;  // one report, not thousands
  }
  return taken;
}

}  // namespace wsbook::testing
