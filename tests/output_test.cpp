#include "wsbook/output.h"

#include <fcntl.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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

}  // namespace
}  // namespace wsbook
