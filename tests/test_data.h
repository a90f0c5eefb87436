#pragma once
// Loads the recorded frames in tests/data.

#include <string>
#include <vector>

namespace wsbook::testing {

/// The frames of tests/data/v1_frames.txt, in file order, without `#` comment lines.
std::vector<std::string> v1_frames();

/// The frames of the v2 capture (tests/data/v2_capture_10_symbols.txt), in order.
std::vector<std::string> v2_capture_frames();

/// The whole text of a file under tests/data.
std::string read_data_file(const std::string& name);

}  // namespace wsbook::testing
