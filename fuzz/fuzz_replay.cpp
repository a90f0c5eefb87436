// libFuzzer: a capture -> --replay's reader, plan and replayer -> lines, for
// whatever venue its header names. A hostile capture may be refused, never
// crash; with --markers and --interval too, every line written is whole.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "replay/replay.h"
#include "wsbook/log.h"
#include "wsbook/venue.h"

namespace {

// Keeps what the replay writes, to check it is whole lines.
struct Kept final : wsbook::Output {
  wsbook::WriteResult write(std::string_view lines) override {
    text.append(lines);
    return {};
  }
  std::string reopen() override { return {}; }
  wsbook::Placement placement() const override { return {}; }
  std::string text;
};

const std::string& scratch_path() {
  static const std::string path = [] {
    char p[] = "/tmp/wsbook_fuzz_replay_XXXXXX";
    const int fd = mkstemp(p);
    if (fd >= 0) ::close(fd);
    return std::string(p);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte: --markers, and --interval (none, 100 ms or the capture's own 1000).
  const bool markers = (data[0] & 1) != 0;
  const int interval = (data[0] >> 1) % 3 == 0 ? 0 : (data[0] >> 1) % 3 == 1 ? 100 : 1000;
  if (std::FILE* f = std::fopen(scratch_path().c_str(), "wb")) {
    std::fwrite(data + 1, 1, size - 1, f);
    std::fclose(f);
  }
  static std::FILE* const devnull = std::fopen("/dev/null", "w");
  const wsbook::Log quiet(wsbook::LogLevel::error, devnull);
  wsbook::CaptureFile file(scratch_path());
  wsbook::capture::Header header;
  if (!file.read_header(header).empty()) return 0;
  const wsbook::Venue* venue = wsbook::find_venue(header.exchange);
  if (venue == nullptr) return 0;
  Kept out;
  wsbook::FeedOptions feed{.symbols = {}, .depth = 5, .markers = markers};
  feed.interval = std::chrono::milliseconds(interval);
  wsbook::replay_capture(file, header, *venue, feed, {{&out}, {}}, std::nullopt,
                         {std::chrono::milliseconds(interval), 0, false}, quiet);
  if (!out.text.empty() && out.text.back() != '\n') std::abort();  // a torn line
  return 0;
}
