#pragma once
// Internal: --out templates: `{exchange}` and `{symbol}` filled in, and the
// directories a path sits in created.

#include <string>
#include <string_view>

namespace wsbook {

/// True if `out` holds `{symbol}`: one file per symbol.
bool names_symbol(std::string_view out);
/// `out` with `{exchange}` and `{symbol}` filled in; the symbol's `/` and `%` become `-`.
std::string out_path(std::string_view out, std::string_view exchange, std::string_view symbol);
/// Creates the directories `path` sits in, as `mkdir -p` does; "" or the error, naming the directory.
std::string make_parent_dirs(const std::string& path);

}  // namespace wsbook
