#include "wsbook/output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "output/fd_io.h"

namespace wsbook {
namespace {

// How far a pipe's reader may fall behind a live crawl before lines are dropped:
// a pause of a minute or two at a busy venue's rate.
constexpr std::size_t kQueuedBytes = std::size_t{64} << 20;

// The log's lines waiting for a reader of stderr that stopped reading; past it they are lost.
constexpr std::size_t kQueuedLogBytes = std::size_t{1} << 20;

// Longer than any line wsbook writes: a last line this long is not ours.
constexpr off_t kMaxTornLine = off_t{256} << 20;

// Where the file's last line starts (just past its last newline), searching
// back at most kMaxTornLine bytes; -1 if no newline is that close to the end.
off_t start_of_last_line(int fd, off_t size) {
  char buf[4096];
  for (off_t end = size; end > 0 && size - end <= kMaxTornLine;) {
    const off_t start = std::max<off_t>(0, end - static_cast<off_t>(sizeof buf));
    const ssize_t n = ::pread(fd, buf, static_cast<std::size_t>(end - start), start);
    if (n <= 0) return -1;
    for (ssize_t i = n - 1; i >= 0; --i) {
      if (buf[i] == '\n') return start + i + 1;
    }
    end = start;
  }
  return size <= kMaxTornLine ? 0 : -1;
}

// Makes the file end with a whole line before we append: a torn line of ours
// (a crash mid-write) is cut off; anything else only gets its newline.
std::string repair_tail(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) return {};
  const off_t start = start_of_last_line(fd, st.st_size);
  if (start == st.st_size) return {};
  char first = 0;
  const bool ours = start >= 0 && ::pread(fd, &first, 1, start) == 1 && first == '{';
  if (ours && ::ftruncate(fd, start) == 0) {
    return "cut a torn last line of " + std::to_string(st.st_size - start) + " bytes";
  }
  if (::write(fd, "\n", 1) == 1) return "ended an unterminated last line with a newline";
  return {};
}

// Asked after every write rather than counted: logrotate's copytruncate may
// have emptied the file under us.
Placement placement_of(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return {};
  const bool append = (::fcntl(fd, F_GETFL) & O_APPEND) != 0;
  const off_t at = append ? st.st_size : ::lseek(fd, 0, SEEK_CUR);
  if (at < 0) return {};
  return {static_cast<std::uint64_t>(at), static_cast<std::size_t>(::sysconf(_SC_PAGESIZE))};
}

class FdOutput final : public Output {
 public:
  // `path` "" for a descriptor it did not open (named `standard`: "standard output").
  FdOutput(int fd, std::string path, std::string standard = "standard output")
      : fd_(fd), path_(std::move(path)), standard_(std::move(standard)), where_(placement_of(fd_)) {}
  ~FdOutput() override {
    if (!path_.empty() && fd_ >= 0) ::close(fd_);
  }

  WriteResult write(std::string_view lines) override {
    int error = 0;
    const std::size_t done = write_all(fd_, lines, error);
    where_ = placement_of(fd_);
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
    where_ = placement_of(fd_);
    return {};
  }

  Placement placement() const override { return where_; }

 private:
  std::string name() const { return path_.empty() ? standard_ : path_; }

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
  std::string standard_;
  Placement where_;
};

class DiscardOutput final : public Output {
 public:
  WriteResult write(std::string_view) override { return {}; }
  std::string reopen() override { return {}; }
  Placement placement() const override { return {}; }
};

}  // namespace

void PageLayout::placed(std::string& batch, std::size_t start) {
  last_start_ = start;
  const std::size_t page = where_.page, len = batch.size() - start;
  if (page == 0 || len > page || start == 0) return;
  const std::size_t in_page = (where_.offset + start) & (page - 1);  // pages are powers of two
  if (in_page + len <= page) return;
  // It would cross: the line before ends the page instead.
  batch.insert(start - 1, page - in_page, ' ');
  last_start_ = start + page - in_page;
}

void PageLayout::seal(std::string& batch) const {
  const std::size_t page = where_.page, len = batch.size() - last_start_;
  if (page == 0 || batch.empty() || len > page) return;
  // The next line comes in another batch, out of reach: if one a little longer
  // than the last would not fit in what is left, the last line ends the page.
  const std::size_t end = (where_.offset + batch.size()) & (page - 1), room = end == 0 ? 0 : page - end;
  if (room > 0 && room < len + len / 8 + 64) batch.insert(batch.size() - 1, room, ' ');
}

std::unique_ptr<Output> make_discard_output() { return std::make_unique<DiscardOutput>(); }

std::unique_ptr<Output> make_stdout_output(bool live) {
  auto out = std::make_unique<FdOutput>(STDOUT_FILENO, "");
  if (!live || !may_block(STDOUT_FILENO)) return out;
  return make_queued_output(std::move(out), "standard output", kQueuedBytes);
}

std::unique_ptr<Output> make_stderr_output() {
  if (!may_block(STDERR_FILENO)) return nullptr;
  auto out = std::make_unique<FdOutput>(STDERR_FILENO, "", "standard error");
  return make_queued_output(std::move(out), "standard error", kQueuedLogBytes);
}

std::unique_ptr<Output> open_file_output(const std::string& path, std::string& error,
                                         std::string& warning, bool live) {
  const int fd = open_for_append(path);
  if (fd < 0) {
    error = errno_text("cannot open " + path);
    return nullptr;
  }
  if (auto repaired = repair_tail(fd); !repaired.empty()) warning = repaired + " of " + path;
  if (live && may_block(fd)) return make_queued_output(std::make_unique<FdOutput>(fd, path), path, kQueuedBytes);
  return std::make_unique<FdOutput>(fd, path);
}

}  // namespace wsbook
