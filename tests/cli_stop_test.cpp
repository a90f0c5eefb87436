// A reader that stops reading (a paused `less`) cannot hang wsbook: SIGTERM
// is acted on, --stop-timeout bounds the wait, the pipe holds whole lines
// whatever happens, and lines not written are counted and make the exit code 1.
#include <fcntl.h>
#include <sys/ioctl.h>
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
  }
  ~StalledPipe() {
    ::close(reader);
    fs::remove_all(dir);
  }
  std::size_t waiting() const {
    int n = 0;
    return ::ioctl(reader, FIONREAD, &n) == 0 ? static_cast<std::size_t>(n) : 0;
  }
  // Reads what is there now onto `into`.
  void read_into(std::string& into) const {
    char buf[65536];
    for (ssize_t n; (n = ::read(reader, buf, sizeof buf)) > 0;) into.append(buf, static_cast<std::size_t>(n));
  }
  fs::path dir, path;
  int reader = -1;
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

TEST(CliStop, AReaderThatNeverReadsCannotHoldUpSigterm) {
  StreamingExchange ex(100000);
  StalledPipe pipe;
  ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", pipe.path.string(), "--stop-timeout", "0.5"}));
  ASSERT_TRUE(eventually([&] { return pipe.waiting() >= 32768; }, 20s)) << child.err();
  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(20s), 1) << child.err();
  EXPECT_THAT(child.err(), HasSubstr("the reader of " + pipe.path.string() + " stopped reading"));
  EXPECT_THAT(child.err(), HasSubstr("lines were not written"));
  EXPECT_THAT(child.err(), HasSubstr("(--stop-timeout)"));
  std::string out;
  pipe.read_into(out);
  expect_true_prefix(out, ex.book);
}

TEST(CliStop, AReaderThatReadsAgainWithinTheStopTimeoutGetsEveryLine) {
  StreamingExchange ex(100000);
  StalledPipe pipe;
  ChildProcess child(wsbook_args(ex.server, {"-s", "BTCUSD", "-o", pipe.path.string(), "--stop-timeout", "30"}));
  ASSERT_TRUE(eventually([&] { return pipe.waiting() >= 32768; }, 20s)) << child.err();
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

}  // namespace
}  // namespace wsbook::testing
