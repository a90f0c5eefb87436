#include "wsbook/output.h"

#include <fcntl.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace wsbook {
namespace {

namespace fs = std::filesystem;

struct TempFile {
  TempFile() : path(fs::temp_directory_path() / ("wsbook-output-" + std::to_string(::getpid()) + ".txt")) {
    fs::remove(path);
  }
  ~TempFile() { fs::remove(path); }
  void write(const std::string& text) const { std::ofstream(path, std::ios::binary) << text; }
  std::string read() const {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  fs::path path;
};

std::unique_ptr<Output> open(const TempFile& f, std::string& warning) {
  std::string error;
  auto out = open_file_output(f.path.string(), error, warning);
  EXPECT_TRUE(out) << error;
  return out;
}

TEST(FileOutput, AppendsWholeLines) {
  TempFile f;
  f.write("old\n");
  std::string warning;
  auto out = open(f, warning);
  EXPECT_EQ(out->write("{\"a\":1}\n{\"a\":2}\n").status, WriteResult::Status::ok);
  EXPECT_EQ(f.read(), "old\n{\"a\":1}\n{\"a\":2}\n");
  EXPECT_EQ(warning, "");
}

TEST(FileOutput, CutsATornLineOfOursAndEndsAForeignOne) {
  TempFile f;
  f.write("{\"a\":1}\n{\"bids\":[[1,");
  std::string warning;
  open(f, warning);
  EXPECT_EQ(f.read(), "{\"a\":1}\n");
  EXPECT_THAT(warning, ::testing::HasSubstr("cut a torn last line of 12 bytes"));
  f.write("notes without a newline");
  warning.clear();
  open(f, warning);
  EXPECT_EQ(f.read(), "notes without a newline\n");  // not ours: kept, and ended
  EXPECT_THAT(warning, ::testing::HasSubstr("newline"));
}

TEST(FileOutput, ReopenFollowsTheRenamedPath) {
  TempFile f;
  std::string warning;
  auto out = open(f, warning);
  out->write("1\n");
  fs::rename(f.path, f.path.string() + ".1");
  EXPECT_EQ(out->reopen(), "");
  out->write("2\n");
  EXPECT_EQ(f.read(), "2\n");
  fs::remove(f.path.string() + ".1");
}

TEST(FileOutput, FullDiskIsAFailure) {
  std::string error, warning;
  auto out = open_file_output("/dev/full", error, warning);
  ASSERT_TRUE(out) << error;
  const WriteResult r = out->write("{}\n");
  EXPECT_EQ(r.status, WriteResult::Status::failed);
  EXPECT_THAT(r.error, ::testing::HasSubstr("No space left on device"));
}

TEST(FileOutput, UnopenablePathSaysWhy) {
  std::string error, warning;
  EXPECT_FALSE(open_file_output("/nonexistent-dir/x", error, warning));
  EXPECT_THAT(error, ::testing::HasSubstr("cannot open /nonexistent-dir/x"));
}

TEST(FileOutput, PlacementIsTheFileEndAndItsPageSize) {
  TempFile f;
  f.write("old line\n");
  std::string warning;
  auto out = open(f, warning);
  EXPECT_EQ(out->placement().offset, 9u);
  EXPECT_EQ(out->placement().page, static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)));
  ASSERT_EQ(out->write("{}\n").status, WriteResult::Status::ok);
  EXPECT_EQ(out->placement().offset, 12u);
}

TEST(FileOutput, APipeHasNoPages) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const int saved = ::dup(STDOUT_FILENO);
  ::dup2(fds[1], STDOUT_FILENO);
  EXPECT_EQ(make_stdout_output()->placement().page, 0u);
  ::dup2(saved, STDOUT_FILENO);
  for (int fd : {fds[0], fds[1], saved}) ::close(fd);
}

// A JSON-ish line of `len` bytes, newline included.
std::string line_of(std::size_t len) { return "{" + std::string(len - 3, 'x') + "}\n"; }

// Appends a line to `batch` the way the crawler does, and lays it out.
void add(std::string& batch, PageLayout& layout, std::size_t len) {
  const std::size_t start = batch.size();
  batch += line_of(len);
  layout.placed(batch, start);
}

TEST(PageLayout, NothingChangesWithoutPages) {
  PageLayout layout;
  layout.reset({4000, 0});
  std::string batch;
  for (int i = 0; i < 100; ++i) add(batch, layout, 430);
  EXPECT_EQ(batch.size(), 43000u);
}

TEST(PageLayout, ALineThatWouldCrossAPageEndsTheOneBeforeAtTheBoundary) {
  PageLayout layout;
  layout.reset({0, 4096});
  std::string batch;
  add(batch, layout, 3000);
  add(batch, layout, 1500);  // 3000 + 1500 > 4096
  ASSERT_EQ(batch.size(), 4096u + 1500u);
  EXPECT_EQ(batch.substr(2998, 1098), "}" + std::string(1096, ' ') + "\n");
  EXPECT_EQ(batch.substr(4096), line_of(1500));
  layout.seal(batch);  // 2596 bytes left: room for a line like the last
  EXPECT_EQ(batch.size(), 4096u + 1500u);
}

TEST(PageLayout, TheLastLineOfABatchEndsThePageWhenASimilarLineWouldNotFit) {
  PageLayout layout;
  layout.reset({4096 - 900, 4096});  // 900 bytes of the page left
  std::string batch;
  add(batch, layout, 430);
  EXPECT_EQ(batch.size(), 430u);  // the next line may still come in this batch
  layout.seal(batch);             // it will not: 470 left is less than 430 + 430/8 + 64
  EXPECT_EQ(batch.size(), 900u);
  EXPECT_EQ(batch.back(), '\n');
  EXPECT_EQ(batch.substr(428, 3), "}  ");
}

TEST(PageLayout, ALineLongerThanAPageIsLeftAlone) {
  PageLayout layout;
  layout.reset({100, 4096});
  std::string batch;
  add(batch, layout, 5000);
  EXPECT_EQ(batch, line_of(5000));
}

TEST(PageLayout, NoLineCrossesAPageWhenLinesVaryLittle) {
  std::mt19937 rng(7);
  std::uint64_t offset = 123;
  std::size_t crossed = 0, lines = 0, bytes = 0;
  PageLayout layout;
  for (int batch_no = 0; batch_no < 2000; ++batch_no) {
    layout.reset({offset, 4096});
    std::string batch;
    for (std::size_t n = 1 + rng() % 20; n > 0; --n, ++lines) {
      const std::size_t len = 400 + rng() % 60;
      bytes += len;
      add(batch, layout, len);
      // Where the line landed: the line before may have grown.
      const std::size_t start = batch.size() < 2 || batch.rfind('\n', batch.size() - 2) == std::string::npos
                                    ? 0
                                    : batch.rfind('\n', batch.size() - 2) + 1;
      const std::uint64_t first = offset + start, last = offset + start + len - 1;
      if (first / 4096 != last / 4096) ++crossed;
      ASSERT_EQ(batch.substr(start, len - 1), line_of(len).substr(0, len - 1));
    }
    layout.seal(batch);
    offset += batch.size();
  }
  EXPECT_EQ(crossed, 0u) << "of " << lines << " lines";
  EXPECT_LT(static_cast<double>(offset - 123) / static_cast<double>(bytes), 1.08) << "padding overhead";
}

}  // namespace
}  // namespace wsbook
