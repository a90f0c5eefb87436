#include "wsbook/output.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wsbook {
namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// Writes all of `data`, retrying interrupted and short writes; returns bytes written.
std::size_t write_all(int fd, std::string_view data, int& error) {
  std::size_t done = 0;
  error = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // A non-blocking stdout inherited from the shell: wait for room, don't tear the line.
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, -1);
    } else {
      error = n < 0 ? errno : ENOSPC;  // write() returning 0 means no room
      break;
    }
  }
  return done;
}

// What ends the file after its last newline: empty if it ends with one.
std::string tail_after_last_newline(int fd, off_t size) {
  std::string tail;
  char buf[4096];
  for (off_t end = size; end > 0;) {
    const off_t start = end > static_cast<off_t>(sizeof buf) ? end - static_cast<off_t>(sizeof buf) : 0;
    const ssize_t n = ::pread(fd, buf, static_cast<std::size_t>(end - start), start);
    if (n <= 0) break;
    const std::string_view chunk(buf, static_cast<std::size_t>(n));
    const auto nl = chunk.rfind('\n');
    tail.insert(0, chunk.substr(nl == std::string_view::npos ? 0 : nl + 1));
    if (nl != std::string_view::npos) break;
    end = start;
  }
  return tail;
}

// Makes the file end with a whole line before we append: a torn line of ours
// (a crash mid-write) is cut off; anything else only gets its newline.
std::string repair_tail(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) return {};
  const std::string tail = tail_after_last_newline(fd, st.st_size);
  if (tail.empty()) return {};
  if (tail.front() == '{' && ::ftruncate(fd, st.st_size - static_cast<off_t>(tail.size())) == 0) {
    return "cut a torn last line of " + std::to_string(tail.size()) + " bytes";
  }
  if (::write(fd, "\n", 1) == 1) return "ended an unterminated last line with a newline";
  return {};
}

class FdOutput final : public Output {
 public:
  FdOutput(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FdOutput() override {
    if (!path_.empty() && fd_ >= 0) ::close(fd_);
  }

  WriteResult write(std::string_view lines) override {
    int error = 0;
    const std::size_t done = write_all(fd_, lines, error);
    if (error == 0) return {};
    if (error == EPIPE) return {WriteResult::Status::closed, "output closed by its reader"};
    if (done > 0) keep_whole_lines(lines.substr(0, done));
    errno = error;
    return {WriteResult::Status::failed, errno_text("cannot write " + name())};
  }

  std::string reopen() override {
    if (path_.empty()) return {};
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return errno_text("cannot reopen " + path_);
    ::close(fd_);
    fd_ = fd;
    return {};
  }

 private:
  std::string name() const { return path_.empty() ? "standard output" : path_; }

  // Of a batch that got only partly written, keeps the whole lines and cuts the
  // torn one, so the file never ends mid-line.
  void keep_whole_lines(std::string_view written) {
    const auto last_newline = written.rfind('\n');
    const std::size_t keep = last_newline == std::string_view::npos ? 0 : last_newline + 1;
    struct stat st {};
    if (keep < written.size() && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
      const off_t torn = static_cast<off_t>(written.size() - keep);
      [[maybe_unused]] int ignored = ::ftruncate(fd_, st.st_size - torn);
    }
  }

  int fd_;
  std::string path_;  // empty for stdout
};

}  // namespace

std::unique_ptr<Output> make_stdout_output() { return std::make_unique<FdOutput>(STDOUT_FILENO, ""); }

std::unique_ptr<Output> open_file_output(const std::string& path, std::string& error,
                                         std::string& warning) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = errno_text("cannot open " + path);
    return nullptr;
  }
  if (auto repaired = repair_tail(fd); !repaired.empty()) warning = repaired + " of " + path;
  return std::make_unique<FdOutput>(fd, path);
}

}  // namespace wsbook
