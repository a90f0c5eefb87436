#pragma once
// Internal: the ADDR:PORT that --metrics listens on.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace wsbook::metrics {

/// Where --metrics listens: an IP address and a port.
struct ListenAddress {
  std::string host;        ///< an IP literal, IPv6 without its brackets
  std::uint16_t port = 0;  ///< 0: any free port
};

/// Parses "ADDR:PORT" ("127.0.0.1:9464", "[::1]:9464", "localhost:9464"); nullopt with `error` set if malformed.
std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& error);

}  // namespace wsbook::metrics
