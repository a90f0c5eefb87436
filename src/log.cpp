#include "wsbook/log.h"

#include "wsbook/output.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace wsbook {
namespace {

constexpr std::string_view kLevelNames[] = {"error", "warn", "info", "debug"};
// Carriage return and erase-line: the status line is drawn over, never scrolled.
constexpr std::string_view kClearLine = "\r\033[K";

std::string utc_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t secs = system_clock::to_time_t(now);
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms));
  return buf;
}

// A message may quote what a venue sent (a malformed frame, its error text): its
// control bytes go in escaped, so that no frame can end a log line, forge the next
// or send escape sequences to the terminal.
void append_message(std::string& line, std::string_view message) {
  for (const char c : message) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7f) {
      line += c;
      continue;
    }
    char escaped[5];
    std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
    line += escaped;
  }
}

}  // namespace

void Log::write(LogLevel level, std::string_view message) const {
  if (!enabled(level)) return;
  std::string line = status_.empty() ? std::string() : std::string(kClearLine);
  line += utc_now();
  line += ' ';
  line += kLevelNames[static_cast<int>(level)];
  line += ' ';
  append_message(line, message);
  line += '\n';
  line += status_;  // the log scrolls above the status line
  put(line);
}

// One write per line so lines from a log never interleave mid-line. A log
// line its queue has no room for is lost: the log never stops the crawl.
void Log::put(const std::string& text) const {
  if (out_ != nullptr) {
    out_->write(text);
    return;
  }
  std::fwrite(text.data(), 1, text.size(), sink_);
  std::fflush(sink_);
}

void Log::status(std::string_view text) const {
  if (text.empty() && status_.empty()) return;
  std::string line(kClearLine);
  line += text;
  status_ = text;
  put(line);
}

}  // namespace wsbook
