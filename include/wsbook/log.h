#pragma once
// Diagnostics on stderr: one line per event, UTC timestamp and level first.

#include <cstdio>
#include <string>
#include <string_view>

namespace wsbook {

class Output;

/// How much to say; each level includes the ones above it.
enum class LogLevel : unsigned char { error, warn, info, debug };

/// A line-per-event logger; data never goes here.
class Log {
 public:
  /// Logs to `sink` (stderr in the tool) everything at `threshold` or above.
  explicit Log(LogLevel threshold = LogLevel::info, std::FILE* sink = stderr)
      : threshold_(threshold), sink_(sink) {}

  /// Writes `2026-11-22T01:02:03.456Z info message` if `level` passes the threshold.
  void write(LogLevel level, std::string_view message) const;
  /// Shorthands for write().
  void error(std::string_view m) const { write(LogLevel::error, m); }
  void warn(std::string_view m) const { write(LogLevel::warn, m); }
  void info(std::string_view m) const { write(LogLevel::info, m); }
  void debug(std::string_view m) const { write(LogLevel::debug, m); }
  /// True if messages of `level` are written (to skip building them otherwise).
  bool enabled(LogLevel level) const { return level <= threshold_; }
  /// Draws `text` as a line under the log (a terminal's status line), drawn again under each log
  /// line; "" takes it away. For a terminal only: it moves the cursor back over it.
  void status(std::string_view text) const;
  /// From now on, lines go to `out` instead of the sink (stderr through make_queued_output(), so
  /// that a stopped reader of stderr cannot stop the crawl); `out` must outlive the log or detach().
  void send_to(Output& out) { out_ = &out; }
  /// Lines go straight to the sink again (before the Output of send_to() goes).
  void detach() { out_ = nullptr; }

 private:
  void put(const std::string& text) const;

  LogLevel threshold_;
  std::FILE* sink_;
  Output* out_ = nullptr;
  mutable std::string status_;  // the status line shown, "" for none
};

}  // namespace wsbook
