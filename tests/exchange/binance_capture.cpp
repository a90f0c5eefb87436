#include "exchange/binance_capture.h"

#include <sstream>
#include <stdexcept>

#include "test_data.h"

namespace wsbook::testing {
namespace {

// "1633998512.0633569" as unix microseconds.
std::int64_t micros(const std::string& t) {
  const auto dot = t.find('.');
  std::string fraction = dot == std::string::npos ? "" : t.substr(dot + 1);
  fraction = (fraction + "000000").substr(0, 6);
  return std::stoll(t.substr(0, dot)) * 1'000'000 + std::stoll(fraction);
}

std::vector<std::string> lines_of(const std::string& file) {
  std::istringstream in(read_data_file(file));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

std::vector<CaptureFrame> binance_capture_frames() {
  std::vector<CaptureFrame> frames;
  const std::vector<std::string> lines = lines_of("BINANCE.ws.1.0");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto colon = lines[i].find(": ");
    if (colon == std::string::npos) throw std::runtime_error("bad capture line " + lines[i]);
    frames.push_back({micros(lines[i].substr(0, colon)), lines[i].substr(colon + 2)});
  }
  return frames;
}

std::vector<CaptureReply> binance_capture_replies() {
  std::vector<CaptureReply> replies;
  for (const std::string& line : lines_of("BINANCE.http.0.0")) {
    const auto arrow = line.find(" -> ");
    const auto colon = line.find(": ", arrow);
    if (arrow == std::string::npos || colon == std::string::npos) throw std::runtime_error("bad reply line");
    replies.push_back({micros(line.substr(arrow + 4, colon - arrow - 4)), line.substr(0, arrow), line.substr(colon + 2)});
  }
  return replies;
}

}  // namespace wsbook::testing
