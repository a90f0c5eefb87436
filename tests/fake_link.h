#pragma once
// A link that keeps what the feed asked of it, for tests without a network.

#include <string>
#include <vector>

#include "wsbook/feed.h"

namespace wsbook::testing {

/// Keeps every frame the feed asked to send and every fetch it asked for.
struct FakeLink final : Link {
  void send(std::string frame) override { sent.push_back(std::move(frame)); }
  void fetch(FetchRequest request) override { fetched.push_back(std::move(request)); }
  std::vector<std::string> sent;
  std::vector<FetchRequest> fetched;
};

/// The lines of `out`, without their newlines.
inline std::vector<std::string> lines_in(const std::string& out) {
  std::vector<std::string> v;
  for (std::size_t a = 0, b; (b = out.find('\n', a)) != std::string::npos; a = b + 1) v.push_back(out.substr(a, b - a));
  return v;
}

}  // namespace wsbook::testing
