// wsbook_measure [--watch FILE SYMBOLS] REPORT COMMAND [ARGS...]: runs COMMAND and
// writes one line to REPORT: `<wall s> <user s> <sys s> <peak RSS KiB> <exit status>`;
// exits with COMMAND's status. For bench/e2e.sh, so it needs neither GNU time nor python.
//
// With --watch, it also follows FILE (wsbook's output) while COMMAND runs and adds a
// sixth field: the seconds from the start until lines of SYMBOLS distinct symbols were
// in FILE (-1: never), the time to every book trusted. A line's symbol is its
// `"symbol":"..."` near the start (a line without one counts as one symbol).
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kSymbolWithin = 128;  // `"symbol":` is this close to the start of a tagged line
constexpr auto kPollEvery = std::chrono::milliseconds(5);

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

/// The exit code a shell would report for `status`.
int shell_status(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

/// Follows a growing file of lines until it has seen `want` distinct symbols.
class Watch {
 public:
  /// Follows `path` (it may not exist yet) until `want` symbols were seen.
  Watch(std::string path, std::size_t want) : path_(std::move(path)), want_(want) {}
  ~Watch() {
    if (fd_ >= 0) close(fd_);
  }
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;

  /// True once every symbol was seen.
  bool done() const { return seen_.size() >= want_; }

  /// Reads what was appended since the last call; true once every symbol was seen.
  bool poll() {
    if (done()) return true;
    if (fd_ < 0 && (fd_ = open(path_.c_str(), O_RDONLY | O_CLOEXEC)) < 0) return false;
    char buf[1 << 16];
    for (ssize_t n; (n = read(fd_, buf, sizeof buf)) > 0 && !done();) scan(std::string_view(buf, static_cast<std::size_t>(n)));
    return done();
  }

 private:
  void scan(std::string_view bytes) {
    for (std::size_t nl; !done() && (nl = bytes.find('\n')) != std::string_view::npos; bytes.remove_prefix(nl + 1)) {
      if (partial_.empty()) {
        line(bytes.substr(0, nl));
      } else {
        partial_.append(bytes.substr(0, nl));
        line(partial_);
        partial_.clear();
      }
    }
    if (!done() && bytes.find('\n') == std::string_view::npos) partial_.append(bytes);
  }

  void line(std::string_view text) {
    constexpr std::string_view key = R"("symbol":")";
    const std::size_t at = text.substr(0, kSymbolWithin).find(key);
    if (at == std::string_view::npos) return void(seen_.emplace());
    const std::size_t begin = at + key.size();
    seen_.emplace(text.substr(begin, text.find('"', begin) - begin));
  }

  std::string path_;
  std::size_t want_;
  int fd_ = -1;
  std::string partial_;
  std::unordered_set<std::string> seen_;
};

/// Waits for `child`, polling `watch` meanwhile; sets `trusted` to the seconds until it was done.
int wait_watching(pid_t child, Watch& watch, Clock::time_point start, double& trusted, rusage& usage) {
  int status = 0;
  for (;;) {
    const pid_t r = wait4(child, &status, WNOHANG, &usage);
    if (r < 0) return -1;
    const bool exited = r == child;
    if (trusted < 0 && watch.poll()) trusted = std::chrono::duration<double>(Clock::now() - start).count();
    if (exited) return status;
    std::this_thread::sleep_for(kPollEvery);
  }
}

/// The command line: [--watch FILE SYMBOLS] REPORT COMMAND [ARGS...].
struct Args {
  const char* watch = nullptr;
  std::size_t symbols = 0;
  int report = 1;  // argv index of REPORT; COMMAND follows
};

Args parse_args(int argc, char** argv) {
  Args a;
  if (argc > 3 && std::strcmp(argv[1], "--watch") == 0) {
    a.watch = argv[2];
    a.symbols = std::strtoull(argv[3], nullptr, 10);
    a.report = 4;
  }
  return a;
}

bool write_report(const Args& a, char** argv, double wall, const rusage& usage, int status, double trusted) {
  std::FILE* report = std::fopen(argv[a.report], "w");
  if (report == nullptr) return false;
  std::fprintf(report, "%.6f %.6f %.6f %ld %d", wall, seconds(usage.ru_utime), seconds(usage.ru_stime),
               usage.ru_maxrss, shell_status(status));
  if (a.watch != nullptr) std::fprintf(report, " %.3f", trusted);
  std::fprintf(report, "\n");
  return std::fclose(report) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  if (argc < args.report + 2) {
    std::fprintf(stderr, "usage: wsbook_measure [--watch FILE SYMBOLS] REPORT COMMAND [ARGS...]\n");
    return 2;
  }
  const auto start = Clock::now();
  const pid_t child = fork();
  if (child < 0) return std::perror("wsbook_measure: fork"), 1;
  if (child == 0) {
    execvp(argv[args.report + 1], argv + args.report + 1);
    std::perror("wsbook_measure: exec");
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  double trusted = -1;
  if (args.watch == nullptr) {
    if (wait4(child, &status, 0, &usage) < 0) return std::perror("wsbook_measure: wait4"), 1;
  } else {
    Watch watch(args.watch, args.symbols);
    if ((status = wait_watching(child, watch, start, trusted, usage)) < 0) return std::perror("wsbook_measure: wait4"), 1;
  }
  const std::chrono::duration<double> wall = Clock::now() - start;
  if (!write_report(args, argv, wall.count(), usage, status, trusted)) return std::perror("wsbook_measure: report"), 1;
  return shell_status(status);
}
