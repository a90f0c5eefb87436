#pragma once
// Internal: writing to a file descriptor, for the outputs.
#include <cstddef>
#include <string>
#include <string_view>

namespace wsbook {

/// Opens `path` for append, creating it: read-write (a torn tail is read back to repair it),
/// or write-only where reading is not allowed; -1 and errno on failure.
int open_for_append(const std::string& path);

/// Whether a write to `fd` can wait on someone else: a pipe, a FIFO, a socket or a terminal.
bool may_block(int fd);

/// `what` and the text of errno.
std::string errno_text(const std::string& what);

/// Writes all of `data`, retrying interrupted and short writes; returns the bytes written
/// and sets `error` to the errno that stopped it (0 if none).
std::size_t write_all(int fd, std::string_view data, int& error);

}  // namespace wsbook
