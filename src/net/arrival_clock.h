#pragma once
// Internal: when each socket read completed, noted by the TCP stream itself. The
// frames a read brought were received then, so a frame's time costs one clock
// read per socket read (a burst of dozens of frames) instead of one per frame.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/rate_policy.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "wall_clock.h"

namespace wsbook::net {

/// A Beast rate policy that limits nothing and keeps the time of the latest read.
class ArrivalClock {
 public:
  /// Unix microseconds when the latest socket read completed (0 before the first).
  std::int64_t last_read_us() const noexcept { return last_read_us_; }

 private:
  friend class boost::beast::rate_policy_access;
  static constexpr std::size_t kUnlimited = std::numeric_limits<std::size_t>::max();

  std::size_t available_read_bytes() const noexcept { return kUnlimited; }
  std::size_t available_write_bytes() const noexcept { return kUnlimited; }
  void transfer_read_bytes(std::size_t) noexcept { last_read_us_ = unix_us(); }
  void transfer_write_bytes(std::size_t) const noexcept {}
  void on_timer() const noexcept {}

  std::int64_t last_read_us_ = 0;
};

/// Beast's tcp_stream, with an ArrivalClock.
using ClockedTcpStream =
    boost::beast::basic_stream<boost::asio::ip::tcp, boost::asio::any_io_executor, ArrivalClock>;

}  // namespace wsbook::net
