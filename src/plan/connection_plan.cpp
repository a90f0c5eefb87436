#include "plan/connection_plan.h"

#include <algorithm>

namespace wsbook {

std::vector<std::vector<std::string>> plan_connections(const Venue& venue, const std::vector<std::string>& symbols,
                                                       const std::string& url) {
  const bool symbol_in_url = url.find("{symbol}") != std::string::npos;
  const std::size_t per = symbol_in_url ? 1 : std::max<std::size_t>(venue.symbols_per_connection(), 1);
  // As many connections as the limit needs, the symbols spread evenly over
  // them: 101 symbols at 100 a connection go 51 and 50, not 100 and 1.
  const std::size_t n = std::max<std::size_t>((symbols.size() + per - 1) / per, 1);
  std::vector<std::vector<std::string>> plan(n);
  for (std::size_t i = 0; i < symbols.size(); ++i) plan[i * n / symbols.size()].push_back(symbols[i]);
  return plan;
}

}  // namespace wsbook
