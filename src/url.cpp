#include "wsbook/url.h"

#include <algorithm>

namespace wsbook {
namespace {

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

std::optional<Url> parse_url(std::string_view text, std::string_view scheme, std::string& error) {
  if (!text.starts_with(scheme)) {
    error = "URL must start with " + std::string(scheme);
    return std::nullopt;
  }
  text.remove_prefix(scheme.size());
  const auto slash = text.find_first_of("/?");
  std::string_view authority = text.substr(0, slash);
  Url url;
  // The target is the path and query; a bare "?query" gets the root path.
  const std::string_view rest = slash == std::string_view::npos ? std::string_view{} : text.substr(slash);
  if (rest.empty() || rest.front() == '?') url.target = "/";
  url.target.append(rest);
  url.port = "443";
  // "[::1]:443" keeps its colons inside the brackets.
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    url.port = std::string(authority.substr(colon + 1));
    authority = authority.substr(0, colon);
  }
  if (authority.size() > 2 && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  url.host = std::string(authority);
  if (url.host.empty() || url.host.find_first_of("@ ") != std::string::npos) {
    error = "URL has no valid host";
    return std::nullopt;
  }
  if (!valid_port(url.port)) {
    error = "URL has an invalid port";
    return std::nullopt;
  }
  return url;
}

}  // namespace

std::optional<Url> parse_wss_url(std::string_view text, std::string& error) {
  return parse_url(text, "wss://", error);
}

std::optional<Url> parse_https_url(std::string_view text, std::string& error) {
  return parse_url(text, "https://", error);
}

std::string expand_symbol(std::string_view pattern, std::string_view symbol) {
  constexpr std::string_view kPlaceholder = "{symbol}";
  std::string out;
  for (std::size_t pos = 0;;) {
    const auto hit = pattern.find(kPlaceholder, pos);
    out.append(pattern.substr(pos, hit - pos));
    if (hit == std::string_view::npos) return out;
    out.append(symbol);
    pos = hit + kPlaceholder.size();
  }
}

}  // namespace wsbook
