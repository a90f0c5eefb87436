// .zst outputs: every batch decodes as soon as it is written, frames end on
// close and reopen, and a file torn anywhere is repaired to whole lines.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "compress/zstd_stream.h"
#include "wsbook/output.h"

namespace wsbook {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

fs::path temp_path(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("wsbook-zstd-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& p, std::string_view bytes) { std::ofstream(p, std::ios::binary) << bytes; }

// What the file decodes to, and whether it is whole frames only (what `zstd -t` asks).
struct Decoded {
  std::string text;
  bool whole = false;
};
Decoded decode(const fs::path& p) {
  const std::string bytes = bytes_of(p);
  Decoded d;
  zstd::FileDecoder decoder;
  EXPECT_EQ(decoder.add(bytes, d.text), "");
  std::FILE* f = std::fopen(p.c_str(), "rb");
  d.whole = zstd::scan_frames(::fileno(f), bytes.size()).whole == bytes.size();
  std::fclose(f);
  return d;
}

std::unique_ptr<Output> open(const fs::path& p, std::string* warning_out = nullptr) {
  std::string error, warning;
  auto out = open_zstd_output(p.string(), 3, error, warning);
  EXPECT_EQ(error, "");
  if (warning_out) *warning_out = warning;
  return out;
}

std::string batch(int n) {
  std::string lines;
  for (int i = 0; i < 20; ++i) lines += R"({"bids":[[6499.99,)" + std::to_string(n * 100 + i) + R"(]],"asks":[],"ts":1})" "\n";
  return lines;
}

TEST(ZstdOutput, WhatIsWrittenDecodesAndTheFrameEndsOnClose) {
  const fs::path p = temp_path("round.zst");
  std::string all;
  {
    auto out = open(p);
    for (int i = 0; i < 5; ++i) {
      all += batch(i);
      ASSERT_EQ(out->write(batch(i)).status, WriteResult::Status::ok);
      EXPECT_EQ(decode(p).text, all) << "decodable at once, batch " << i;
    }
    EXPECT_FALSE(decode(p).whole);  // the frame is open
    EXPECT_EQ(out->placement().page, 0u);  // no page padding in a compressed stream
  }
  EXPECT_TRUE(decode(p).whole);
  EXPECT_EQ(decode(p).text, all);
  EXPECT_LT(bytes_of(p).size() * 5, all.size());
  {
    auto again = open(p);  // appends a frame of its own
    ASSERT_EQ(again->write(batch(9)).status, WriteResult::Status::ok);
  }
  EXPECT_EQ(decode(p).text, all + batch(9));
  EXPECT_TRUE(decode(p).whole);
}

TEST(ZstdOutput, AFrameEndsOnceItHoldsItsShare) {
  zstd::Encoder encoder(3, 1000);
  std::string file, all;
  for (int i = 0; i < 10; ++i) {
    all += batch(i);
    file += encoder.add(batch(i));
  }
  file += encoder.end();
  std::string text;
  EXPECT_EQ(zstd::Decoder().add(file, text), "");
  EXPECT_EQ(text, all);
  const fs::path p = temp_path("frames.zst");
  write_bytes(p, file);
  EXPECT_TRUE(decode(p).whole);
}

// A crash can leave the file cut at any byte: each cut is repaired to whole
// lines that were written, and what comes after is whole frames again.
TEST(ZstdOutput, AFileCutAtAnyByteIsRepairedToWholeLines) {
  const fs::path p = temp_path("torn.zst"), cut = temp_path("cut.zst");
  std::string all;
  std::vector<std::pair<std::size_t, std::size_t>> written;  // file size, lines' bytes after each batch
  auto out = open(p);
  for (int i = 0; i < 4; ++i) {
    all += batch(i);
    ASSERT_EQ(out->write(batch(i)).status, WriteResult::Status::ok);
    written.emplace_back(bytes_of(p).size(), all.size());
  }
  const std::string bytes = bytes_of(p);  // as a SIGKILL would leave it: the frame open
  int repaired = 0;
  for (std::size_t len = 1; len <= bytes.size(); ++len) {
    write_bytes(cut, bytes.substr(0, len));
    std::string warning;
    {
      auto again = open(cut, &warning);
      ASSERT_NE(again, nullptr);
      ASSERT_EQ(again->write("{\"after\":1}\n").status, WriteResult::Status::ok);
    }
    repaired += !warning.empty();
    const Decoded d = decode(cut);
    ASSERT_TRUE(d.whole) << len;
    ASSERT_THAT(d.text, ::testing::EndsWith("{\"after\":1}\n")) << len;
    const std::string kept = d.text.substr(0, d.text.size() - 12);
    ASSERT_EQ(all.substr(0, kept.size()), kept) << len;
    std::size_t whole = 0;  // every batch whose bytes were all there is kept
    for (const auto& [file, text] : written) whole = file <= len ? text : whole;
    ASSERT_EQ(kept.size(), whole) << len;
  }
  EXPECT_EQ(repaired, static_cast<int>(bytes.size()));  // the frame was never ended
}

// Hundreds of per-symbol .zst files each keep a compressor.
TEST(ZstdOutput, ACompressorIsSmallAtAnyLevel) {
  zstd::Encoder small(3), large(19);
  for (int i = 0; i < 500; ++i) {
    small.add(batch(i));
    large.add(batch(i));
  }
  EXPECT_LT(small.memory(), std::size_t{640} << 10);
  EXPECT_LT(large.memory(), std::size_t{1} << 20);
}

// Repair cuts only what a torn write left: other bytes are refused, untouched.
TEST(ZstdOutput, AFileThatIsNotZstdOrDamagedIsRefusedUntouched) {
  for (const std::string& text : {std::string("{\"bids\":[],\"asks\":[],\"ts\":1}\n"), std::string("hello\n")}) {
    const fs::path p = temp_path("plain.zst");
    write_bytes(p, text);
    std::string error, warning;
    EXPECT_EQ(open_zstd_output(p.string(), 3, error, warning), nullptr);
    EXPECT_THAT(error, HasSubstr("cannot append to " + p.string() + ": it is not zstd at byte 0"));
    EXPECT_EQ(bytes_of(p), text);
  }
  const fs::path p = temp_path("damaged.zst");
  {
    auto out = open(p);
    ASSERT_EQ(out->write(batch(1)).status, WriteResult::Status::ok);
  }
  const std::string frame = bytes_of(p);
  std::string unfinished = frame.substr(0, frame.size() - 3);  // without its empty last block
  unfinished[6] = static_cast<char>(unfinished[6] | 0x06);  // its first block's type: reserved
  write_bytes(p, frame + unfinished);  // a whole frame, then an unfinished one that is no tear
  std::string error, warning;
  EXPECT_EQ(open_zstd_output(p.string(), 3, error, warning), nullptr);
  EXPECT_THAT(error, HasSubstr("at byte " + std::to_string(frame.size())));
  EXPECT_EQ(bytes_of(p), frame + unfinished);
}

TEST(ZstdOutput, AFileEmptiedUnderItStartsAFrameOfItsOwn) {
  const fs::path p = temp_path("copytruncate.zst");
  auto out = open(p);
  ASSERT_EQ(out->write(batch(1)).status, WriteResult::Status::ok);
  fs::resize_file(p, 0);  // logrotate's copytruncate
  ASSERT_EQ(out->write(batch(2)).status, WriteResult::Status::ok);
  out.reset();
  EXPECT_TRUE(decode(p).whole);
  EXPECT_EQ(decode(p).text, batch(2));
}

TEST(ZstdOutput, ReopenEndsTheOldFileAndStartsTheNew) {
  const fs::path p = temp_path("rotate.zst"), moved = temp_path("rotate.zst.1");
  auto out = open(p);
  ASSERT_EQ(out->write(batch(1)).status, WriteResult::Status::ok);
  fs::rename(p, moved);
  EXPECT_EQ(out->reopen(), "");
  ASSERT_EQ(out->write(batch(2)).status, WriteResult::Status::ok);
  out.reset();
  EXPECT_TRUE(decode(moved).whole);
  EXPECT_EQ(decode(moved).text, batch(1));
  EXPECT_TRUE(decode(p).whole);
  EXPECT_EQ(decode(p).text, batch(2));
}

TEST(ZstdOutput, AFullDiskIsAFailureThatKeepsTheFileDecodable) {
  std::string error, warning;
  auto full = open_zstd_output("/dev/full", 3, error, warning);
  ASSERT_NE(full, nullptr) << error;
  const WriteResult r = full->write(batch(1));
  EXPECT_EQ(r.status, WriteResult::Status::failed);
  EXPECT_THAT(r.error, HasSubstr("No space left on device"));
  EXPECT_EQ(full->write(batch(2)).status, WriteResult::Status::failed);
}

TEST(ZstdInput, PlainBytesPassAndZstdIsDecoded) {
  zstd::FileDecoder plain;
  std::string out;
  EXPECT_EQ(plain.add("abc\n", out), "");
  EXPECT_EQ(plain.add("def\n", out), "");
  EXPECT_EQ(out, "abc\ndef\n");
  zstd::Encoder encoder(3);
  const std::string frame = std::string(encoder.add("line\n")) + std::string(encoder.end());
  zstd::FileDecoder z;
  out.clear();
  for (char c : frame) ASSERT_EQ(z.add(std::string_view(&c, 1), out), "");  // a byte at a time
  EXPECT_EQ(out, "line\n");
  zstd::FileDecoder bad;
  EXPECT_THAT(bad.add(frame.substr(0, 4) + std::string(20, '\xff'), out), HasSubstr("not valid zstd"));
}

}  // namespace
}  // namespace wsbook
