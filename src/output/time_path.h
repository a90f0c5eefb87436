#pragma once
// Internal: --out paths with strftime fields in UTC (`data/%Y-%m-%d/%H.jsonl`):
// each line goes to the file its own `ts` names.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "wsbook/output.h"

namespace wsbook {

/// True if `path` holds a strftime field (a `%`).
bool names_time(std::string_view path);
/// "" if every `%` of `path` starts a time field wsbook fills in, else why not.
std::string check_time_fields(std::string_view path);
/// `path` with its time fields filled in for `unix_s`, in UTC.
std::string time_path(const std::string& path, std::int64_t unix_s);
/// The `ts` (unix ms) of a line wsbook wrote, or -1 if it has none.
std::int64_t line_ts(std::string_view line);

/// Opens the file a path names, or returns nullptr and sets `error`.
using OpenOutput = std::function<std::unique_ptr<Output>(const std::string& path, std::string& error)>;
/// An output that writes each line to the file its `ts` names through `path`'s time
/// fields, opening files with `open` as their names come and closing the one before, each
/// laid out for its own pages. Opens the file of `now_s` (and the one before it, for its
/// repair) at once: nullptr and `error` if it cannot.
std::unique_ptr<Output> make_time_output(std::string path, OpenOutput open, std::int64_t now_s, std::string& error);

}  // namespace wsbook
