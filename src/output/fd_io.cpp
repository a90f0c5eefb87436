#include "output/fd_io.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wsbook {

int open_for_append(const std::string& path) {
  // A FIFO opened for reading too would be its own reader: no EPIPE when the real one leaves.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode)) return ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  return fd;
}

bool may_block(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || ::isatty(fd) == 1;
}

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

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

}  // namespace wsbook
