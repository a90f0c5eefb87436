#pragma once
// Runs the real wsbook binary as a child process with its stdout and stderr
// captured, so tests see exactly what a shell user would.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wsbook::testing {

/// A child process with pipes on stdout and stderr.
class ChildProcess {
 public:
  /// Starts `argv[0]` with the arguments; stdin is /dev/null.
  explicit ChildProcess(const std::vector<std::string>& argv);
  /// Kills the child if it still runs.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Sends a signal.
  void signal(int sig) const;
  /// Waits for exit; the exit code (128 + signal if killed), or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  /// Waits until stdout holds at least n lines; true if it did in time.
  bool wait_stdout_lines(std::size_t n, std::chrono::milliseconds timeout);
  /// Everything read from stdout so far.
  const std::string& out();
  /// Everything read from stderr so far.
  const std::string& err();
  /// The child's pid.
  pid_t pid() const { return pid_; }

 private:
  void pump(int timeout_ms);

  pid_t pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1;
  std::string out_, err_;
  std::optional<int> status_;
};

/// Runs a command to completion (e.g. for usage errors): exit code, stdout, stderr.
struct Finished {
  int code;
  std::string out, err;
};
Finished run_to_end(const std::vector<std::string>& argv, std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace wsbook::testing
