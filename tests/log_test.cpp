// The log quotes what venues send (malformed frames, error texts): their
// control bytes must not end its line, forge the next or reach a terminal.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "wsbook/log.h"

namespace wsbook {
namespace {

// What `log` wrote while `write` ran.
template <class Write>
std::string logged(Write&& write) {
  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* sink = ::open_memstream(&text, &size);
  write(Log(LogLevel::info, sink));
  std::fclose(sink);
  std::string out(text, size);
  std::free(text);
  return out;
}

TEST(Log, ControlBytesOfAQuotedFrameAreEscapedSoEachMessageIsOneLine) {
  const std::string frame = "{\"a\":1}\n2026-01-01T00:00:00.000Z error forged\r\x1b[2J\x7f\t\x1f\x8b";
  const std::string text = logged([&](const Log& log) { log.warn("malformed frame (not JSON): " + frame); });
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.find('\n'), text.size() - 1) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  const std::string escaped = " warn malformed frame (not JSON): {\"a\":1}\\x0a2026-01-01T00:00:00.000Z error forged"
                              "\\x0d\\x1b[2J\\x7f\\x09\\x1f\x8b\n";
  EXPECT_EQ(text.substr(text.find(' ')), escaped);
}

TEST(Log, PlainMessagesAreWrittenAsTheyAre) {
  const std::string text = logged([](const Log& log) { log.info("BTC/USD: initial snapshot: 30 bids, 30 asks €"); });
  EXPECT_EQ(text.substr(text.find(' ')), " info BTC/USD: initial snapshot: 30 bids, 30 asks €\n");
}

}  // namespace
}  // namespace wsbook
