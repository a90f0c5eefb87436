#pragma once
// The real Binance capture in tests/data: the stream's frames and the REST
// snapshot replies, each with the moment it was received.

#include <cstdint>
#include <string>
#include <vector>

namespace wsbook::testing {

/// One stream frame of BINANCE.ws.1.0 (`<unix time>: <frame>`).
struct CaptureFrame {
  std::int64_t us = 0;  ///< received at, unix microseconds
  std::string text;
};

/// One REST reply of BINANCE.http.0.0 (`<url> -> <unix time>: <body>`).
struct CaptureReply {
  std::int64_t us = 0;  ///< received at, unix microseconds
  std::string url, body;
};

/// The stream's frames in file order, without the first line (the URL).
std::vector<CaptureFrame> binance_capture_frames();
/// The REST replies in file order.
std::vector<CaptureReply> binance_capture_replies();

}  // namespace wsbook::testing
