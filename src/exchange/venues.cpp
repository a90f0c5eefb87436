#include "exchange/venues.h"

#include <array>

namespace wsbook {
namespace {

const std::array<const Venue*, 8>& all() {
  static const std::array<const Venue*, 8> venues = {&gemini_venue(),  &gemini_v2_venue(),       &coinbase_venue(),
                                                     &kraken_venue(),  &okx_venue(),             &bybit_venue(),
                                                     &binance_venue(), &binance_futures_venue()};
  return venues;
}

}  // namespace

const Venue* find_venue(std::string_view name) {
  for (const Venue* v : all()) {
    if (v->name() == name) return v;
  }
  return nullptr;
}

std::vector<std::string_view> venue_names() {
  std::vector<std::string_view> names;
  for (const Venue* v : all()) names.push_back(v->name());
  return names;
}

}  // namespace wsbook
