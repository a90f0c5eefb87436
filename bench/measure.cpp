// wsbook_measure REPORT COMMAND [ARGS...]: runs COMMAND and writes one line to
// REPORT: `<wall s> <user s> <sys s> <peak RSS KiB> <exit status>`; exits with
// COMMAND's status. For bench/e2e.sh, so it needs neither GNU time nor python.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace {

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; }

/// The exit code a shell would report for `status`.
int shell_status(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: wsbook_measure REPORT COMMAND [ARGS...]\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const pid_t child = fork();
  if (child < 0) return std::perror("wsbook_measure: fork"), 1;
  if (child == 0) {
    execvp(argv[2], argv + 2);
    std::perror("wsbook_measure: exec");
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(child, &status, 0, &usage) < 0) return std::perror("wsbook_measure: wait4"), 1;
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  std::FILE* report = std::fopen(argv[1], "w");
  if (report == nullptr) return std::perror("wsbook_measure: report"), 1;
  std::fprintf(report, "%.6f %.6f %.6f %ld %d\n", wall.count(), seconds(usage.ru_utime), seconds(usage.ru_stime),
               usage.ru_maxrss, shell_status(status));
  std::fclose(report);
  return shell_status(status);
}
