#include "check/check_main.h"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>

#include "check/check.h"
#include "check/report.h"
#include "compress/zstd_stream.h"

namespace wsbook::check {
namespace {

constexpr const char* kFooter = R"(Reads files wsbook wrote (one stream of many symbols or a file per symbol;
with or without --markers, --fields, --interval; '-' is stdin) and reports,
file by file and symbol by symbol: lines, first and last ts, the longest time
without a line, the interval an --interval file keeps, and each defect found
with how many lines have it and the first one's number:
  a crossed book (best bid >= best ask); unsorted or duplicate levels; a price
  or amount not above 0, or a number that is no exact decimal; ts going
  backwards; with --max-silence, a symbol silent for longer than that;
  with --markers records: a line with no book open (after a gap or a
  disconnect, before a resync), a resync while the book is open, a gap with no
  book open, a connect while the book is open (the run before was killed);
  per file: a torn last line (no newline, or not JSON), lines that are not
  JSON, JSON lines that are neither a book line nor a record.
Prices are compared as exact decimals; page padding (spaces before the
newline) is allowed. A file without records cannot show where its series
broke: the report says so. A file may start mid-book (a rotated file).

Example:
  $ wsbook check data/okx/BTC-USDT.txt
  data/okx/BTC-USDT.txt: 86412 lines, 5 records
    okx BTC-USDT: 86407 lines, 2026-06-01T00:00:00.102Z to ... (23h 59m 59s),
    longest silence 12.301 s (before line 4567), 1 gap, 2 resyncs: ok
  checked 1 file, 1 book, 86412 lines: clean
(each book's report is one line).

Exit codes:
  0  every file clean
  1  findings in at least one file
  2  usage error (no FILE, unknown flag, bad value), or a FILE that cannot be
     read (named on stderr; the other files are still checked))";

/// Everything `wsbook check`'s command line says.
struct CheckOptions {
  std::vector<std::string> files;  ///< in the order given; "-" is standard input
  bool json = false;               ///< one JSON document instead of words
  double max_silence = 0;          ///< seconds a symbol may go without a line; 0: no limit
};

int usage_error(const std::string& reason) {
  std::cerr << "wsbook check: " << reason << "\nUsage: wsbook check [--json] [--max-silence S] FILE...\n"
            << "Run 'wsbook check --help' for what it checks.\n";
  return 2;
}

// -1 to go on, else the exit code.
int parse(int argc, const char* const* argv, CheckOptions& o) {
  CLI::App app{"wsbook check: read book files back and report what is wrong in them.", "wsbook check"};
  app.footer(kFooter);
  app.get_formatter()->column_width(30);
  app.add_option("FILE", o.files, "Files wsbook wrote; '-' for standard input")->type_name("PATH")->required();
  app.add_flag("--json", o.json, "One JSON document: {\"files\":[...],\"summary\":{...}}");
  app.add_option("--max-silence", o.max_silence, "A symbol without a line for SECONDS is a finding")
      ->type_name("SECONDS")
      ->check([](const std::string& text) {
        double v = -1;
        try {
          v = std::stod(text);
        } catch (const std::exception&) {
        }
        return std::isfinite(v) && v > 0 && v <= 1e9 ? "" : "must be seconds above 0";
      });
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }
  return -1;
}

// Feeds the file at `path` ("-": stdin) to `check` in large reads; "" or why it cannot be read.
std::string read_into(const std::string& path, FileCheck& check) {
  constexpr std::size_t kChunk = std::size_t{4} << 20;
  static const auto buffer = std::make_unique<char[]>(kChunk);
  const int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::strerror(errno);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  std::string error, text;
  zstd::FileDecoder decoder;  // a .zst file is read as the lines it holds
  for (;;) {
    const ssize_t n = ::read(fd, buffer.get(), kChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = std::strerror(errno);
    text.clear();
    const std::string_view bytes(buffer.get(), static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    if (auto err = decoder.add(bytes, text); !err.empty() && error.empty()) error = err;
    if (!text.empty()) check.feed(text);
    if (n <= 0 || !error.empty()) break;
  }
  if (fd != STDIN_FILENO) ::close(fd);
  return error;
}

void put(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

}  // namespace

int run_check(int argc, const char* const* argv) {
  CheckOptions o;
  if (const int code = parse(argc, argv, o); code >= 0) return code;
  const CheckLimits limits{static_cast<std::int64_t>(std::llround(o.max_silence * 1000))};
  Summary summary;
  bool unreadable = false;
  if (o.json) put(R"({"files":[)");
  for (const std::string& path : o.files) {
    const std::string name = path == "-" ? "standard input" : path;
    FileCheck check(name, limits);
    if (const std::string error = read_into(path, check); !error.empty()) {
      std::cerr << "wsbook check: cannot read " << name << ": " << error << '\n';
      unreadable = true;
      continue;
    }
    const FileReport report = check.finish();
    std::string out = o.json && summary.files > 0 ? "," : "";
    o.json ? append_json(report, out) : append_text(report, out);
    put(out);
    summary.add(report);
  }
  std::string out = o.json ? R"(],"summary":)" : "";
  o.json ? append_json(summary, out) : append_text(summary, out);
  put(o.json ? out + "}\n" : out);
  std::fflush(stdout);
  if (unreadable) return 2;
  return summary.findings > 0 ? 1 : 0;
}

}  // namespace wsbook::check
