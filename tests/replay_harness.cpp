#include "replay_harness.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "replay/replay.h"
#include "wsbook/venue.h"

namespace wsbook::testing {
namespace {

// Keeps what a replay writes; like a pipe: no page padding.
class StringOutput final : public Output {
 public:
  WriteResult write(std::string_view lines) override {
    data.append(lines);
    return {};
  }
  std::string reopen() override { return {}; }
  Placement placement() const override { return {}; }
  std::string data;
};

}  // namespace

Replayed replay_text(const std::string& capture, const FeedOptions& base, const ReplaySpec& spec) {
  char path[] = "/tmp/wsbook_replay_XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return {};
  ::close(fd);
  std::ofstream(path, std::ios::binary) << capture;
  char* log_buf = nullptr;
  std::size_t log_size = 0;
  std::FILE* log_file = open_memstream(&log_buf, &log_size);
  Replayed r;
  {
    const Log log(LogLevel::debug, log_file);
    CaptureFile file(path);
    capture::Header header;
    if (file.read_header(header).empty()) {
      std::vector<std::unique_ptr<StringOutput>> owned;
      ReplayOutputs outputs{{}, spec.of_symbol};
      for (std::size_t i = 0; i < spec.outputs; ++i) {
        owned.push_back(std::make_unique<StringOutput>());
        outputs.outputs.push_back(owned.back().get());
      }
      const ReplayOptions options{spec.interval, 0};
      r.code = replay_capture(file, header, *find_venue(header.exchange), base, outputs, spec.count, options, log);
      for (const auto& o : owned) r.texts.push_back(o->data);
    }
  }
  std::fclose(log_file);
  r.log.assign(log_buf, log_size);
  std::free(log_buf);
  std::remove(path);
  return r;
}

}  // namespace wsbook::testing
