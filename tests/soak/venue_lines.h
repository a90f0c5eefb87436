#pragma once
// The multi-venue soak's verdict on what wsbook wrote: each line whole (ends in
// a newline, parses, ends in its ts), its book a state its symbol's true book
// went through, and, per symbol, the lines in the order of those states: a run
// of consecutive states of one epoch (a fresh book), each run in a later epoch
// than the one before, starting at its first state (or anywhere, where wsbook
// bridges a REST snapshot with updates it buffered: Binance).

#include <cstddef>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "support/venue_book.h"

namespace wsbook::testing {

/// The counts of one venue's lines.
struct LineTally {
  std::size_t lines = 0;         ///< every line read, torn ones included
  std::size_t wrong = 0;         ///< whole, but no state its symbol's book was ever in (or of no symbol)
  std::size_t out_of_order = 0;  ///< a true state, but not where the sequence of states allows it
  std::size_t torn = 0;          ///< not a whole line: no newline, no JSON, no ts
};

/// Every state of one symbol's true book, by epoch, and where the lines so far have got to.
class StateWalk {
 public:
  /// Over the epochs of `truth`; a run may start past an epoch's first state if `bridged`.
  StateWalk(const SymbolTruth& truth, bool bridged);

  /// Takes the next line's book part; true if it may come here.
  bool next(const std::string& body);
  /// Whether `body` is any state of any epoch.
  bool known(const std::string& body) const { return where_.count(body) != 0; }

 private:
  using Position = std::pair<std::size_t, std::size_t>;  // epoch, index in it
  std::vector<std::vector<std::string>> epochs_;
  std::unordered_map<std::string, std::vector<Position>> where_;
  std::vector<Position> at_;  // every position the last line may have been
  bool bridged_;
};

/// Checks one output's `text`: its lines are of `symbol` ("" for a stream tagged with each line's symbol).
void check_output(const std::string& text, const std::string& exchange, const std::string& symbol,
                  std::map<std::string, StateWalk>& walks, LineTally& tally);

}  // namespace wsbook::testing
