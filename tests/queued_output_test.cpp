// The output a live crawl writes a pipe through: write() never waits for the
// reader, a reader too far behind costs lines (said so) rather than the crawl,
// and whatever the reader does, the pipe holds whole lines only.
#include <fcntl.h>
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <functional>
#include <thread>

#include "output/line_router.h"
#include "wsbook/output.h"

namespace wsbook {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A FIFO in a fresh directory, with its read end open (and not read until the test says).
struct Fifo {
  Fifo() {
    std::signal(SIGPIPE, SIG_IGN);  // as wsbook's main() does: EPIPE, not death, once the reader is gone
    dir = fs::temp_directory_path() / ("wsbook-fifo-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    path = dir / "out";
    EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0);
    reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  }
  ~Fifo() {
    if (reader >= 0) ::close(reader);
    fs::remove_all(dir);
  }
  // A live output on the FIFO, as wsbook opens --out (queued).
  std::unique_ptr<Output> open_live(std::size_t max_bytes = 0) const {
    std::string error, warning;
    if (max_bytes == 0) return open_file_output(path.string(), error, warning, true);
    return make_queued_output(open_file_output(path.string(), error, warning), "the FIFO", max_bytes);
  }
  // Everything the pipe holds now.
  std::size_t waiting() const {
    int n = 0;
    return ::ioctl(reader, FIONREAD, &n) == 0 ? static_cast<std::size_t>(n) : 0;
  }
  // At most `most` bytes of what the pipe holds, in one read.
  std::string take(std::size_t most) const {
    std::string some(most, '\0');
    const ssize_t n = ::read(reader, some.data(), most);
    some.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return some;
  }
  std::string drain() const {
    std::string all;
    char buf[65536];
    for (ssize_t n; (n = ::read(reader, buf, sizeof buf)) > 0;) all.append(buf, static_cast<std::size_t>(n));
    return all;
  }
  fs::path dir, path;
  int reader = -1;
};

std::string line(int i, std::size_t width = 60) {
  std::string s = "{\"i\":" + std::to_string(i) + ",\"pad\":\"";
  s.append(width, 'x');
  return s + "\"}\n";
}

bool eventually_true(const std::function<bool()>& f) {
  for (auto end = Clock::now() + 10s; Clock::now() < end; std::this_thread::sleep_for(1ms)) {
    if (f()) return true;
  }
  return false;
}

std::size_t lines_in(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(QueuedOutput, WritesEveryLineInOrderAndFinishesWhenTheReaderHasThem) {
  Fifo fifo;
  auto out = fifo.open_live();
  std::string expected;
  for (int i = 0; i < 5000; ++i) {
    std::string batch = line(i) + line(-i, 5000);  // lines longer than a pipe's atomic write too
    expected += batch;
    ASSERT_EQ(out->write(batch).status, WriteResult::Status::ok);
  }
  std::string got;
  std::thread reader([&] {
    while (got.size() < expected.size()) {
      got += fifo.drain();
      std::this_thread::sleep_for(1ms);
    }
  });
  const FinishResult f = out->finish(Clock::now() + 60s);
  reader.join();
  EXPECT_EQ(f.unwritten, 0u);
  EXPECT_EQ(f.result.status, WriteResult::Status::ok);
  EXPECT_EQ(got, expected);
}

TEST(QueuedOutput, AStalledReaderNeverBlocksWriteAndCostsLinesNotHalfLines) {
  Fifo fifo;
  auto out = fifo.open_live(256 << 10);
  std::size_t taken = 0, dropped = 0;
  for (int i = 0; i < 20000; ++i) {  // far more than the pipe and the queue hold; write() must return each time
    const std::string batch = line(i, 40 + i % 300);
    const WriteResult r = out->write(batch);
    if (r.status == WriteResult::Status::ok) ++taken;
    if (r.status == WriteResult::Status::dropped) {
      ++dropped;
      EXPECT_EQ(r.error, "the reader of the FIFO");
    }
  }
  EXPECT_GT(dropped, 0u);
  const FinishResult f = out->finish(Clock::now() + 200ms);
  EXPECT_EQ(f.result.status, WriteResult::Status::failed);
  EXPECT_EQ(f.result.error, "the reader of the FIFO stopped reading");
  std::string in_pipe = fifo.drain();
  std::this_thread::sleep_for(50ms);  // reading let the write it was blocked in end: it writes no more
  in_pipe += fifo.drain();
  ASSERT_FALSE(in_pipe.empty());
  EXPECT_EQ(in_pipe.back(), '\n');  // the writer is blocked between two lines, never inside one
  EXPECT_LE(lines_in(in_pipe), taken);
  EXPECT_GE(lines_in(in_pipe) + f.unwritten, taken);
}

TEST(QueuedOutput, AReaderThatLeftIsAClosedOutputNotAFailure) {
  Fifo fifo;
  auto out = fifo.open_live();
  ::close(fifo.reader);
  fifo.reader = -1;
  WriteResult r;
  for (int i = 0; i < 2000 && r.status == WriteResult::Status::ok; ++i) {
    r = out->write(line(i));
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(r.status, WriteResult::Status::closed);
  EXPECT_EQ(out->finish(Clock::now() + 5s).result.status, WriteResult::Status::closed);
}

TEST(QueuedOutput, ARegularFileIsWrittenDirectlyWhereItsPageLayoutNeedsIt) {
  Fifo fifo;
  std::string error, warning;
  const fs::path file = fifo.dir / "file.txt";
  auto regular = open_file_output(file.string(), error, warning, true);
  ASSERT_TRUE(regular) << error;
  EXPECT_GT(regular->placement().page, 0u);  // a file keeps its page layout: written where it is asked
  ASSERT_EQ(regular->write(line(1)).status, WriteResult::Status::ok);
  EXPECT_EQ(fs::file_size(file), line(1).size());
}

// One "behind" and one "caught up" per episode: a reader that takes a little does not make
// the output take a batch, drop the next, take one again, hundreds of times a second.
TEST(QueuedOutput, OnceBehindItTakesNothingUntilTheReaderHasTakenHalf) {
  Fifo fifo;
  auto out = fifo.open_live(256 << 10);
  const std::string batch = line(0, 900);
  std::size_t taken = 0;
  while (out->write(batch).status == WriteResult::Status::ok) ++taken;
  std::string got;
  // A little room in the pipe, and so in the queue once the writer has moved some on (but
  // one read of all the pipe holds could race the writer down past half the queue).
  const std::size_t full = fifo.waiting();
  got += fifo.take(16 << 10);
  ASSERT_TRUE(eventually_true([&] { return fifo.waiting() + got.size() > full; }));
  EXPECT_EQ(out->write(batch).status, WriteResult::Status::dropped);
  ASSERT_TRUE(eventually_true([&] {
    got += fifo.drain();
    return out->write(batch).status == WriteResult::Status::ok;
  }));
  EXPECT_GE(lines_in(got), taken / 2 - 70);  // half the queue was read (less what the pipe holds)
  out->finish(Clock::now() + 100ms);  // nobody reads the rest
}

// An output whose reader is behind for the first `behind` writes.
class BehindOutput final : public Output {
 public:
  explicit BehindOutput(int behind) : behind_(behind) {}
  WriteResult write(std::string_view lines) override {
    if (behind_-- > 0) return {WriteResult::Status::dropped, "the reader of the test"};
    text.append(lines);
    return {};
  }
  std::string reopen() override { return {}; }
  Placement placement() const override { return {}; }
  std::string text;

 private:
  int behind_;
};

TEST(QueuedOutput, TheCrawlSaysOnceWhenLinesAreDroppedAndOnceHowManyWhenTheReaderCaughtUp) {
  char* logged = nullptr;
  std::size_t size = 0;
  std::FILE* sink = ::open_memstream(&logged, &size);
  const Log log(LogLevel::info, sink);
  BehindOutput out(3);
  LineRouter router({&out}, {}, std::nullopt, log);
  for (int i = 0; i < 5; ++i) {
    router.add(0, line(i));
    router.add(0, line(i));
    router.flush();
  }
  EXPECT_EQ(router.dropped(), 6u);
  EXPECT_EQ(router.written(), 4u);
  EXPECT_FALSE(router.take_stop());  // the crawl goes on
  std::fflush(sink);
  const std::string text(logged, size);
  EXPECT_EQ(lines_in(text), 2u) << text;
  EXPECT_NE(text.find("error the reader of the test is not keeping up: dropping lines until it catches up"),
            std::string::npos) << text;
  EXPECT_NE(text.find("warn the reader of the test caught up; 6 lines were dropped"), std::string::npos) << text;
  EXPECT_EQ(out.text, line(3) + line(3) + line(4) + line(4));
  std::fclose(sink);
  std::free(logged);
}

}  // namespace
}  // namespace wsbook
