// A .zst output: the lines compressed (compress/zstd_stream.h), whole batches or nothing.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "compress/zstd_stream.h"
#include "output/fd_io.h"
#include "wsbook/output.h"

namespace wsbook {
namespace {

// A torn frame is read back whole to repair it; ours are far smaller.
constexpr std::uint64_t kMaxTornFrame = std::uint64_t{256} << 20;

std::uint64_t file_size(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
}

// The whole lines of the torn frame from `from` to `size`, or "" and `error`.
std::string whole_lines_of(int fd, std::uint64_t from, std::uint64_t size, std::string& error) {
  if (size - from > kMaxTornFrame) return error = "its last frame is too large to repair", "";
  std::string torn(size - from, '\0'), lines;
  if (::pread(fd, torn.data(), torn.size(), static_cast<off_t>(from)) != static_cast<ssize_t>(torn.size())) {
    return error = errno_text("cannot read it"), "";
  }
  zstd::Decoder().add(torn, lines);  // an error past the whole blocks is the tear itself
  lines.resize(lines.rfind('\n') + 1);  // npos + 1 == 0
  return lines;
}

// Makes the file end with a whole frame before we append: an unfinished last
// frame (a crash, a failed write) is cut and its whole lines written again as one.
std::string repair_tail(int fd, const std::string& path, int level, std::string& warning) {
  const std::uint64_t size = file_size(fd);
  const zstd::FrameScan scan = zstd::scan_frames(fd, size);
  if (!scan.zstd) return "cannot append to " + path + ": it is not zstd from byte " + std::to_string(scan.whole);
  if (scan.whole == size) return {};
  std::string error;
  const std::string lines = whole_lines_of(fd, scan.whole, size, error);
  if (!error.empty()) return "cannot repair " + path + ": " + error;
  if (::ftruncate(fd, static_cast<off_t>(scan.whole)) != 0) return errno_text("cannot repair " + path);
  zstd::Encoder encoder(level);
  int werr = 0;
  const std::string_view frame = lines.empty() ? std::string_view() : encoder.frame(lines);
  if (write_all(fd, frame, werr) != frame.size()) return "cannot repair " + path + ": " + std::strerror(werr);
  warning = "rewrote the unfinished last frame of " + path + ": " + std::to_string(lines.size()) +
            " bytes of whole lines kept, " + std::to_string(size - scan.whole) + " bytes of it were there";
  return {};
}

int open_append(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  return fd;
}

class ZstdOutput final : public Output {
 public:
  ZstdOutput(int fd, std::string path, int level) : fd_(fd), path_(std::move(path)), level_(level), encoder_(level) {}
  ~ZstdOutput() override {
    put(encoder_.end());
    ::close(fd_);
  }

  WriteResult write(std::string_view lines) override {
    if (broken_) return {WriteResult::Status::failed, "cannot write " + path_ + ": an earlier write failed"};
    const std::string_view bytes = encoder_.add(lines);
    if (bytes.empty() && !lines.empty()) return fail("cannot compress for " + path_);
    return put(bytes);
  }

  // logrotate moved the file: the old one gets its frame's end, the new one a frame of its own.
  std::string reopen() override {
    if (put(encoder_.end()).status != WriteResult::Status::ok) return "cannot end " + path_ + " before reopening it";
    const int fd = open_append(path_);
    if (fd < 0) return errno_text("cannot reopen " + path_);
    std::string warning;
    if (auto err = repair_tail(fd, path_, level_, warning); !err.empty()) {
      ::close(fd);
      return err;
    }
    ::close(fd_);
    fd_ = fd;
    return {};
  }

  // Pages mean nothing inside a compressed stream: no padding.
  Placement placement() const override { return {}; }

 private:
  WriteResult put(std::string_view bytes) {
    if (broken_ || bytes.empty()) return {};
    const std::uint64_t before = file_size(fd_);
    int error = 0;
    if (write_all(fd_, bytes, error) == bytes.size()) return {};
    // The encoder holds what the file lacks now: the file keeps its whole blocks and takes no more.
    [[maybe_unused]] const int ignored = ::ftruncate(fd_, static_cast<off_t>(before));
    errno = error;
    return fail(errno_text("cannot write " + path_));
  }

  WriteResult fail(std::string why) {
    broken_ = true;
    return {WriteResult::Status::failed, std::move(why)};
  }

  int fd_;
  std::string path_;
  int level_;
  zstd::Encoder encoder_;
  bool broken_ = false;
};

}  // namespace

std::unique_ptr<Output> open_zstd_output(const std::string& path, int level, std::string& error,
                                         std::string& warning) {
  const int fd = open_append(path);
  if (fd < 0) {
    error = errno_text("cannot open " + path);
    return nullptr;
  }
  if (error = repair_tail(fd, path, level, warning); !error.empty()) {
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<ZstdOutput>(fd, path, level);
}

}  // namespace wsbook
