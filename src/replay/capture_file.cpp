// --replay's input: a capture's lines, read in large blocks.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "replay/replay.h"

namespace wsbook {
namespace {

constexpr std::size_t kReadBlock = std::size_t{1} << 20;

}  // namespace

CaptureFile::CaptureFile(const std::string& path) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
    return;
  }
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  own_ = fd_ >= 0;
  if (fd_ < 0) error_ = "cannot read the capture " + path + ": " + std::strerror(errno);
}

CaptureFile::~CaptureFile() {
  if (own_) ::close(fd_);
}

bool CaptureFile::next(std::string_view& line) {
  for (;;) {
    const std::size_t nl = buf_.find('\n', begin_);
    if (nl != std::string::npos) {
      line = std::string_view(buf_).substr(begin_, nl - begin_);
      begin_ = nl + 1;
      ++number_;
      return true;
    }
    if (eof_) return torn_ = begin_ < buf_.size(), false;
    buf_.erase(0, begin_);
    begin_ = 0;
    raw_.resize(kReadBlock);
    ssize_t n;
    while ((n = ::read(fd_, raw_.data(), kReadBlock)) < 0 && errno == EINTR) {
    }
    if (n < 0) error_ = std::string("reading the capture: ") + std::strerror(errno);
    raw_.resize(static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
    if (auto err = decoder_.add(raw_, buf_); !err.empty() && error_.empty()) error_ = "reading the capture: " + err;
    eof_ = n <= 0 || !error_.empty();
  }
}

std::string CaptureFile::read_header(capture::Header& header) {
  std::string_view line;
  if (!error_.empty()) return error_;
  if (!next(line)) return error_.empty() ? "the capture is empty" : error_;
  bool is_header = false;
  capture::Event ignored;
  std::string err = capture::Reader().parse(line, is_header, header, ignored);
  if (!is_header) err = "not a capture header: is it a --capture file?";
  return err.empty() ? "" : "the capture's line 1: " + err;
}

}  // namespace wsbook
