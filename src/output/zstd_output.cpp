// A .zst output: the lines compressed (compress/zstd_stream.h), whole batches or nothing.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "compress/zstd_stream.h"
#include "output/fd_io.h"
#include "wsbook/output.h"

namespace wsbook {
namespace {

// Ours are far smaller: a larger unfinished frame is damage, not a tear.
constexpr std::uint64_t kMaxTornFrame = std::uint64_t{32} << 20;

std::uint64_t file_size(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<std::uint64_t>(st.st_size) : 0;
}

bool is_regular(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

// Makes the file end with a whole frame before we append: an unfinished last
// frame (a crash, a failed write) is cut after its last block that ends a line
// and ended there, in place; nothing whole is rewritten, so a crash during the
// repair leaves a file the next repair finishes.
std::string repair_tail(int fd, const std::string& path, std::string& warning) {
  const std::uint64_t size = file_size(fd);
  const zstd::FrameScan scan = zstd::scan_frames(fd, size);
  const std::string at = " at byte " + std::to_string(scan.whole);
  if (!scan.zstd) return "cannot append to " + path + ": it is not zstd" + at + ", or cannot be read";
  if (scan.whole == size) return {};
  if (size - scan.whole > kMaxTornFrame) return "cannot append to " + path + ": it is damaged" + at;
  std::string torn(size - scan.whole, '\0');
  if (::pread(fd, torn.data(), torn.size(), static_cast<off_t>(scan.whole)) != static_cast<ssize_t>(torn.size())) {
    return errno_text("cannot read " + path);
  }
  const std::optional<std::size_t> keep = zstd::whole_line_blocks(torn);
  if (!keep) return "cannot append to " + path + ": it is damaged" + at;
  int error = 0;
  if (::ftruncate(fd, static_cast<off_t>(scan.whole + *keep)) != 0 ||
      (*keep > 0 && write_all(fd, zstd::kEmptyLastBlock, error) != zstd::kEmptyLastBlock.size())) {
    if (error != 0) errno = error;
    return errno_text("cannot repair " + path);
  }
  warning = "ended the unfinished last frame of " + path + " after its last whole line (" +
            std::to_string(torn.size() - *keep) + " bytes of a torn write cut)";
  return {};
}

class ZstdOutput final : public Output {
 public:
  ZstdOutput(int fd, std::string path, int level) : fd_(fd), path_(std::move(path)), encoder_(level) {
    expected_ = file_size(fd_);
  }
  ~ZstdOutput() override {
    put(encoder_.end());
    ::close(fd_);
  }

  WriteResult write(std::string_view lines) override {
    if (broken_) return {WriteResult::Status::failed, "cannot write " + path_ + ": an earlier write failed"};
    // logrotate's copytruncate emptied the file: what follows must be a frame of its own.
    if (file_size(fd_) < expected_) encoder_.restart();
    const std::string_view bytes = encoder_.add(lines);
    if (bytes.empty() && !lines.empty()) return fail("cannot compress for " + path_);
    return put(bytes);
  }

  // logrotate moved the file: the old one gets its frame's end, the new one a frame of its own.
  std::string reopen() override {
    if (put(encoder_.end()).status != WriteResult::Status::ok) return "cannot end " + path_ + " before reopening it";
    const int fd = open_for_append(path_);
    if (fd < 0) return errno_text("cannot reopen " + path_);
    std::string warning;
    if (same_file(fd, fd_)) {  // not moved: nothing to repair, no walk through all of it
      ::close(fd);
      return {};
    }
    if (auto err = repair_tail(fd, path_, warning); !err.empty()) {
      ::close(fd);
      return err;
    }
    ::close(fd_);
    fd_ = fd;
    expected_ = file_size(fd_);
    return {};
  }

  // Pages mean nothing inside a compressed stream: no padding.
  Placement placement() const override { return {}; }

 private:
  WriteResult put(std::string_view bytes) {
    if (broken_ || bytes.empty()) return {};
    const std::uint64_t before = file_size(fd_);
    int error = 0;
    if (write_all(fd_, bytes, error) == bytes.size()) {
      if (is_regular(fd_)) expected_ = before + bytes.size();
      return {};
    }
    if (error == EPIPE) return {WriteResult::Status::closed, "output closed by its reader"};
    // The encoder holds what the file lacks now: the file keeps its whole blocks and takes no more.
    [[maybe_unused]] const int ignored = ::ftruncate(fd_, static_cast<off_t>(before));
    errno = error;
    return fail(errno_text("cannot write " + path_));
  }

  static bool same_file(int a, int b) {
    struct stat sa {}, sb {};
    return ::fstat(a, &sa) == 0 && ::fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  }

  WriteResult fail(std::string why) {
    broken_ = true;
    return {WriteResult::Status::failed, std::move(why)};
  }

  int fd_;
  std::string path_;
  zstd::Encoder encoder_;
  std::uint64_t expected_ = 0;  // the file's size after our last write (0 for what is no regular file)
  bool broken_ = false;
};

}  // namespace

bool is_zstd_path(std::string_view path) { return path.ends_with(".zst"); }

std::unique_ptr<Output> open_zstd_output(const std::string& path, int level, std::string& error,
                                         std::string& warning) {
  const int fd = open_for_append(path);
  if (fd < 0) {
    error = errno_text("cannot open " + path);
    return nullptr;
  }
  if (error = repair_tail(fd, path, warning); !error.empty()) {
    ::close(fd);
    return nullptr;
  }
  return std::make_unique<ZstdOutput>(fd, path, level);
}

}  // namespace wsbook
