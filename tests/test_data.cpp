#include "test_data.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace wsbook::testing {

std::string read_data_file(const std::string& name) {
  std::ifstream in(std::string(WSBOOK_TEST_DATA) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open test data " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> v1_frames() {
  std::istringstream in(read_data_file("v1_frames.txt"));
  std::vector<std::string> frames;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != '#') frames.push_back(line);
  }
  return frames;
}

std::vector<std::string> v2_capture_frames() {
  std::istringstream in(read_data_file("v2_capture_10_symbols.txt"));
  std::vector<std::string> frames;
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    if (++n <= 2 || line.empty()) continue;  // the URL line and the subscribe line
    const auto colon = line.find(": ");
    if (colon != std::string::npos) frames.push_back(line.substr(colon + 2));
  }
  return frames;
}

}  // namespace wsbook::testing
