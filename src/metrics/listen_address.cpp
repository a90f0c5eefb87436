#include "metrics/listen_address.h"

#include <arpa/inet.h>

#include <charconv>

namespace wsbook::metrics {

std::optional<ListenAddress> parse_listen_address(std::string_view text, std::string& error) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    error = "not ADDR:PORT (e.g. 127.0.0.1:9464): " + std::string(text);
    return std::nullopt;
  }
  std::string host(text.substr(0, colon));
  const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);
  if (host == "localhost") host = "127.0.0.1";
  unsigned char ip[16];
  const bool v4 = !bracketed && ::inet_pton(AF_INET, host.c_str(), ip) == 1;
  if (!v4 && !(bracketed && ::inet_pton(AF_INET6, host.c_str(), ip) == 1)) {
    error = "not an IP address to bind (e.g. 127.0.0.1, 0.0.0.0 or [::1]): " + std::string(text.substr(0, colon));
    return std::nullopt;
  }
  const std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, err] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || err != std::errc() || end != port.data() + port.size() || value > 65535) {
    error = "not a port from 0 to 65535: " + std::string(port);
    return std::nullopt;
  }
  return ListenAddress{host, static_cast<std::uint16_t>(value)};
}

}  // namespace wsbook::metrics
