// A reader that stops reading (a paused `less`) cannot hang wsbook: SIGTERM
// is acted on, --stop-timeout bounds the wait, the pipe holds whole lines
// whatever happens, and lines not written are counted and make the exit code 1.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>

#include <gmock/gmock.h>

#include <atomic>

#include "crawl_harness.h"

#include "cli_util.h"

namespace wsbook::testing {
namespace {

using ::testing::HasSubstr;

// A FIFO for --out, its read end open from the start and read only when the test says.
struct StalledPipe {
  StalledPipe() : dir(temp_dir()), path(dir / "out") {
    EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0);
    reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    probe = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  }
  ~StalledPipe() {
    ::close(probe);
    ::close(reader);
    fs::remove_all(dir);
  }
  // The pipe has no room for another write of up to a page (PIPE_BUF): wsbook's writer waits.
  // Asked of a write end of our own, as the kernel answers poll(2) for wsbook's.
  bool full() const {
    pollfd p{probe, POLLOUT, 0};
    return ::poll(&p, 1, 0) == 0;
  }
  // Reads what is there now onto `into`.
  void read_into(std::string& into) const {
    char buf[65536];
    for (ssize_t n; (n = ::read(reader, buf, sizeof buf)) > 0;) into.append(buf, static_cast<std::size_t>(n));
  }
  fs::path dir, path;
  int reader = -1;
  int probe = -1;  ///< a write end that never writes
};

// Every line whole and a state of the true book, in the order the book went through them.
void expect_true_prefix(const std::string& out, const TrueBook& book) {
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  const auto lines = split_lines(out);
  const auto& history = book.history();
  ASSERT_LE(lines.size(), history.size());
  for (std::size_t i = 0; i < lines.size(); ++i) ASSERT_EQ(line_body(lines[i]), history[i]) << "line " << i;
}

// --count ends the run with far more lines than the pipe holds, and nobody reads them.
TEST(CliStop, AReaderThatNeverReadsGetsTheStopTimeoutThenExit1NamingTheLinesNotWritten) {
  StreamingExchange ex(100000);
  StalledPipe pipe;
  ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", pipe.path.string(), "--count", "3000",
                                             "--stop-timeout", "0.5"}));
  EXPECT_EQ(child.wait(30s), 1) << child.err();
  EXPECT_THAT(child.err(), HasSubstr("the reader of " + pipe.path.string() + " stopped reading: "));
  EXPECT_THAT(child.err(), HasSubstr(" lines were not written"));
  EXPECT_THAT(child.err(), HasSubstr("gave up waiting for the output after 500 ms (--stop-timeout)"));
  std::string out;
  pipe.read_into(out);
  expect_true_prefix(out, ex.book);
  EXPECT_LT(split_lines(out).size(), 3000u);
}

TEST(CliStop, SigtermIsActedOnWhileTheReaderHasStopped) {
  StreamingExchange ex(100000);
  StalledPipe pipe;
  ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", pipe.path.string(), "--stop-timeout", "0.5"}));
  ASSERT_TRUE(eventually([&] { return pipe.full(); }, 20s)) << child.err();
  child.signal(SIGTERM);
  const auto code = child.wait(20s);  // before, it hung in write(2) for as long as the reader slept
  ASSERT_TRUE(code.has_value()) << child.err();
  EXPECT_THAT(child.err(), HasSubstr("SIGTERM: closing"));
  // Whether the last lines fitted in the pipe depends on how many came after it filled.
  if (*code == 1) EXPECT_THAT(child.err(), HasSubstr("(--stop-timeout)"));
  else EXPECT_EQ(*code, 0) << child.err();
  std::string out;
  pipe.read_into(out);
  expect_true_prefix(out, ex.book);
}

TEST(CliStop, AReaderThatReadsAgainWithinTheStopTimeoutGetsEveryLine) {
  StreamingExchange ex(100000);
  StalledPipe pipe;
  ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", pipe.path.string(), "--stop-timeout", "30"}));
  ASSERT_TRUE(eventually([&] { return pipe.full(); }, 20s)) << child.err();
  child.signal(SIGTERM);
  std::string out;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    while (!done) {
      pipe.read_into(out);
      std::this_thread::sleep_for(1ms);
    }
    pipe.read_into(out);
  });
  const auto code = child.wait(40s);
  done = true;
  reader.join();
  EXPECT_EQ(code, 0) << child.err();
  expect_true_prefix(out, ex.book);
  EXPECT_GT(split_lines(out).size(), 100u);
  EXPECT_THAT(child.err(), ::testing::Not(HasSubstr("error")));
}

// The log's queue has its moment at the end whatever --stop-timeout says: a reader of
// stderr that keeps up gets the last lines, the summary among them.
TEST(CliStop, AZeroStopTimeoutStillLeavesTheLogItsLastLines) {
  StreamingExchange ex(100);
  const fs::path dir = temp_dir();
  ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", (dir / "out.txt").string(), "--count", "5",
                                             "--stop-timeout", "0"}));
  EXPECT_EQ(child.wait(30s), 0) << child.err();
  EXPECT_THAT(child.err(), HasSubstr(" 5 lines written; "));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace wsbook::testing
