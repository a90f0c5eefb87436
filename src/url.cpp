#include "wsbook/url.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdint>
#include <cctype>

namespace wsbook {
namespace {

bool valid_port(std::string_view port) {
  if (port.empty() || port.size() > 5) return false;
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const int value = std::stoi(std::string(port));
  return value >= 1 && value <= 65535;
}

std::optional<Url> parse_url(std::string_view text, std::string_view scheme, std::string& error,
                             std::string_view default_port = "443") {
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
  url.port = std::string(default_port);
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

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// "%40" -> "@"; false if a % is not followed by two hex digits.
bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size() || hex_value(in[i + 1]) < 0 || hex_value(in[i + 2]) < 0) return false;
    out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
    i += 2;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "example.com." is example.com.
std::string_view strip_dot(std::string_view s) {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

bool is_ip(std::string_view host) {
  unsigned char buf[16];
  const std::string h(host);
  return ::inet_pton(AF_INET, h.c_str(), buf) == 1 || ::inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

// An IPv4 `host` within `entry` written as address/bits ("10.0.0.0/8").
bool in_cidr(std::string_view host, std::string_view entry) {
  const auto slash = entry.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string net(entry.substr(0, slash)), bits_text(entry.substr(slash + 1)), h(host);
  in_addr a{}, n{};
  if (::inet_pton(AF_INET, h.c_str(), &a) != 1 || ::inet_pton(AF_INET, net.c_str(), &n) != 1) return false;
  if (bits_text.empty() || bits_text.size() > 2 || !std::all_of(bits_text.begin(), bits_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const int bits = std::stoi(bits_text);
  if (bits > 32) return false;
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (ntohl(a.s_addr) & mask) == (ntohl(n.s_addr) & mask);
}

}  // namespace

std::string ProxyUrl::where() const { return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port; }

std::optional<ProxyUrl> parse_proxy_url(std::string_view text, std::string& error) {
  const auto scheme_end = text.find("://");
  if (scheme_end != std::string_view::npos && !iequals(text.substr(0, scheme_end), "http")) {
    error = "only http:// proxies (HTTP CONNECT) are supported, not " + std::string(text.substr(0, scheme_end + 3));
    return std::nullopt;
  }
  std::string_view rest = scheme_end == std::string_view::npos ? text : text.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('/'));  // a trailing slash, as in http://proxy:3128/
  ProxyUrl proxy;
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    if (!percent_decode(rest.substr(0, at), proxy.credentials)) {
      error = "the proxy's user or password has a bad %-escape";
      return std::nullopt;
    }
    if (proxy.credentials.find(':') == std::string::npos) proxy.credentials += ':';  // curl: an empty password
    rest = rest.substr(at + 1);
  }
  // The rest is an authority as in a wss:// URL, with the proxy's default port.
  auto url = parse_url("wss://" + std::string(rest), "wss://", error);
  if (!url) {
    if (error.starts_with("URL ")) error = "the proxy URL " + error.substr(4);
    return std::nullopt;
  }
  proxy.host = url->host;
  const auto bracket = rest.rfind(']'), colon = rest.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) proxy.port = url->port;
  return proxy;
}

bool bypasses_proxy(std::string_view host, std::string_view no_proxy) {
  if (trimmed(no_proxy) == "*") return true;  // curl: "*" alone means every host
  host = strip_dot(host);
  const bool ip = is_ip(host);
  while (!no_proxy.empty()) {
    const auto comma = no_proxy.find(',');
    std::string_view entry = strip_dot(trimmed(no_proxy.substr(0, comma)));
    no_proxy = comma == std::string_view::npos ? std::string_view{} : no_proxy.substr(comma + 1);
    if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
    if (entry.empty()) continue;
    if (ip) {
      if (entry == host || in_cidr(host, entry)) return true;
      continue;  // an address is never a domain's subdomain
    }
    if (iequals(host, entry)) return true;
    if (host.size() > entry.size() && host[host.size() - entry.size() - 1] == '.' &&
        iequals(host.substr(host.size() - entry.size()), entry)) {
      return true;
    }
  }
  return false;
}

bool uses_proxy(const Url& url, const std::optional<ProxyUrl>& proxy, std::string_view no_proxy, bool plain) {
  return proxy && !bypasses_proxy(url.host, no_proxy) && (url.tls || plain);
}

std::optional<Url> parse_ws_url(std::string_view text, std::string& error) {
  if (!text.starts_with("ws://")) {
    auto url = parse_url(text, "wss://", error);
    if (!url && error.starts_with("URL must start")) error += " (or ws://)";
    return url;
  }
  auto url = parse_url(text, "ws://", error, "80");
  if (url) url->tls = false;
  return url;
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
