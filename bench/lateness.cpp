// wsbook_lateness [--symbols N] [--tee FILE] REPORT: reads wsbook's --interval lines on
// stdin, stamps each with the wall clock as it arrives, and groups them by their "ts"
// (the instant they stand for). At end of input it writes one line to REPORT:
//   `<instants> <full instants> <lines> <median ms> <p99 ms> <max ms>`
// where the figures are the lateness of each full instant's last line (arrival minus
// instant). An instant is full when it has N lines (with no --symbols: the most any
// instant had). For bench/e2e_interval.sh; --tee keeps the lines for its checks.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace {

/// What arrived for one instant.
struct Instant {
  std::size_t lines = 0;
  std::int64_t last_us = 0;  // when its last line arrived, unix µs
};

std::int64_t unix_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

/// The value of `"ts":` in a line, or -1.
std::int64_t ts_of(std::string_view line) {
  constexpr std::string_view key = R"("ts":)";
  const std::size_t at = line.find(key);
  if (at == std::string_view::npos) return -1;
  return std::strtoll(line.data() + at + key.size(), nullptr, 10);
}

/// Reads stdin to its end; each complete line is stamped with the time its bytes arrived.
std::map<std::int64_t, Instant> read_instants(std::FILE* tee) {
  std::map<std::int64_t, Instant> instants;
  std::string partial;
  char buf[1 << 16];
  for (ssize_t n; (n = read(STDIN_FILENO, buf, sizeof buf)) > 0;) {
    const std::int64_t now = unix_us();
    if (tee != nullptr) std::fwrite(buf, 1, static_cast<std::size_t>(n), tee);
    partial.append(buf, static_cast<std::size_t>(n));
    std::size_t begin = 0;
    for (std::size_t nl; (nl = partial.find('\n', begin)) != std::string::npos; begin = nl + 1) {
      const std::int64_t ts = ts_of(std::string_view(partial).substr(begin, nl - begin));
      if (ts < 0) continue;
      Instant& i = instants[ts];
      ++i.lines;
      i.last_us = now;
    }
    partial.erase(0, begin);
  }
  return instants;
}

double at_fraction(std::vector<double> v, double q) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(k, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t want = 0;
  const char* tee_path = nullptr;
  int a = 1;
  for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
    if (std::strcmp(argv[a], "--symbols") == 0) want = std::strtoull(argv[a + 1], nullptr, 10);
    else if (std::strcmp(argv[a], "--tee") == 0) tee_path = argv[a + 1];
    else break;
  }
  if (a + 1 != argc) {
    std::fprintf(stderr, "usage: wsbook_lateness [--symbols N] [--tee FILE] REPORT < lines\n");
    return 2;
  }
  std::FILE* tee = tee_path != nullptr ? std::fopen(tee_path, "w") : nullptr;
  if (tee_path != nullptr && tee == nullptr) return std::perror("wsbook_lateness: --tee"), 1;
  const auto instants = read_instants(tee);
  if (tee != nullptr && std::fclose(tee) != 0) return std::perror("wsbook_lateness: --tee"), 1;
  std::size_t lines = 0, most = 0;
  for (const auto& [ts, i] : instants) lines += i.lines, most = std::max(most, i.lines);
  if (want == 0) want = most;
  std::vector<double> late_ms;
  for (const auto& [ts, i] : instants)
    if (i.lines >= want) late_ms.push_back(static_cast<double>(i.last_us - ts * 1000) / 1000.0);
  std::FILE* report = std::fopen(argv[a], "w");
  if (report == nullptr) return std::perror("wsbook_lateness: report"), 1;
  std::fprintf(report, "%zu %zu %zu %.3f %.3f %.3f\n", instants.size(), late_ms.size(), lines,
               at_fraction(late_ms, 0.5), at_fraction(late_ms, 0.99), at_fraction(late_ms, 1.0));
  return std::fclose(report) == 0 ? 0 : 1;
}
