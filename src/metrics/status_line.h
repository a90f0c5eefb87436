#pragma once
// Internal: the line a person sees under the log on a terminal, redrawn each second.

#include <cstddef>
#include <string>

#include "metrics/exposition.h"

namespace wsbook::metrics {

/// "198/200 books trusted, 1520 lines/s, 3 reconnects, oldest frame 2.1 s ago (ETHUSD)",
/// cut to `columns` characters (0: no cut).
std::string status_text(const CrawlSnapshot& s, double lines_per_second, std::size_t columns = 0);

/// The width of the terminal on `fd`; 0 if it is none.
std::size_t terminal_columns(int fd);

}  // namespace wsbook::metrics
