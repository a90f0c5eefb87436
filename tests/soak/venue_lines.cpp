#include "soak/venue_lines.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace wsbook::testing {
namespace {

// `{...,"ts":<digits>}`, a JSON object, and a book in it.
bool whole(const std::string& line) {
  const std::size_t ts = line.rfind(R"(,"ts":)");
  if (ts == std::string::npos || line.size() < ts + 8 || line.back() != '}') return false;
  const auto digits = line.begin() + static_cast<long>(ts) + 6;
  if (!std::all_of(digits, line.end() - 1, [](char c) { return c >= '0' && c <= '9'; })) return false;
  if (line.rfind(R"({"bids":)", 0) != 0 && line.rfind(R"({"exchange":)", 0) != 0) return false;
  return !nlohmann::json::parse(line, nullptr, false).is_discarded();
}

void report(const char* what, const std::string& symbol, const std::string& line, std::size_t count) {
  if (count <= 3) std::fprintf(stderr, "venue soak: %s line of %s: %s\n", what, symbol.c_str(), line.c_str());
}

}  // namespace

StateWalk::StateWalk(const SymbolTruth& truth, bool bridged) : bridged_(bridged) {
  for (std::size_t e = 0; e < truth.epochs(); ++e) {
    epochs_.push_back(truth.epoch(e));
    for (std::size_t i = 0; i < epochs_.back().size(); ++i) where_[epochs_.back()[i]].push_back({e, i});
  }
}

bool StateWalk::next(const std::string& body) {
  const auto it = where_.find(body);
  if (it == where_.end()) return false;
  std::vector<Position> on;
  for (const auto& [e, i] : at_) {
    if (i + 1 < epochs_[e].size() && epochs_[e][i + 1] == body) on.push_back({e, i + 1});
  }
  if (!on.empty()) {
    at_ = std::move(on);
    return true;
  }
  // A new run: a fresh book, later than the last line's.
  const std::size_t after = at_.empty() ? 0 : at_.front().first + 1;
  for (const Position& p : it->second) {
    if (p.first >= after && (bridged_ || p.second == 0)) on.push_back(p);
  }
  at_ = on.empty() ? it->second : on;  // out of order: go on from wherever it is
  return !on.empty();
}

void check_output(const std::string& text, const std::string& exchange, const std::string& symbol,
                  std::map<std::string, StateWalk>& walks, LineTally& tally) {
  if (!text.empty() && text.back() != '\n') ++tally.torn;  // the partial last line split_lines gives
  const auto lines = split_lines(text);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    ++tally.lines;
    std::string line = lines[n];
    line.erase(line.find_last_not_of(' ') + 1);  // the padding that keeps lines off page boundaries
    if (n + 1 == lines.size() && text.back() != '\n') continue;
    if (!whole(line)) {
      report("torn", symbol, line, ++tally.torn);
      continue;
    }
    auto [tag, body] = split_tagged(line, exchange);
    const auto walk = walks.find(tag.empty() ? symbol : tag);
    if (walk == walks.end() || !walk->second.known(body)) {
      report("wrong", tag.empty() ? symbol : tag, line, ++tally.wrong);
    } else if (!walk->second.next(body)) {
      report("out-of-order", walk->first, line, ++tally.out_of_order);
    }
  }
}

}  // namespace wsbook::testing
