// The process_ figures from /proc, as Prometheus's client libraries read them.
#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "metrics/exposition.h"

namespace wsbook::metrics {
namespace {

std::uint64_t count_open_fds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  std::uint64_t n = 0;
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  ::closedir(dir);
  return n > 0 ? n - 1 : 0;  // the directory's own descriptor
}

// When the machine booted, unix seconds (/proc/stat's btime).
double boot_time() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime" && in >> value) return value;
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

// /proc/self/stat's field 22: the start, in clock ticks after boot.
double start_ticks() {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');  // the command name may hold spaces
  if (paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(paren + 2));
  std::string field;
  for (int i = 3; i < 22 && fields >> field; ++i) {
  }
  double ticks = 0;
  fields >> ticks;
  return ticks;
}

}  // namespace

ProcessStats read_process_stats() {
  ProcessStats p;
  rusage u{};
  if (::getrusage(RUSAGE_SELF, &u) == 0) {
    p.cpu_seconds = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
                    static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  }
  std::ifstream statm("/proc/self/statm");
  std::uint64_t pages = 0, resident = 0;
  if (statm >> pages >> resident) {
    const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
    p.virtual_bytes = pages * page;
    p.resident_bytes = resident * page;
  }
  p.open_fds = count_open_fds();
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0) p.max_fds = r.rlim_cur;
  // Once is enough: the start does not move.
  static const double start = boot_time() + start_ticks() / static_cast<double>(::sysconf(_SC_CLK_TCK));
  p.start_time_seconds = start;
  return p;
}

}  // namespace wsbook::metrics
