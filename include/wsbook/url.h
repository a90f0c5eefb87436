#pragma once
// wss://, ws:// and https:// URLs as the crawler needs them: host for SNI and verification, port, target.

#include <optional>
#include <string>
#include <string_view>

namespace wsbook {

/// A parsed `wss://host[:port][/path][?query]` (or ws://, https://).
struct Url {
  std::string host;    ///< for DNS, SNI, certificate verification and the Host header
  std::string port;    ///< "443" unless given ("80" for ws://)
  std::string target;  ///< path and query, at least "/"
  bool tls = true;     ///< false for ws://: no TLS at all
};

/// Parses a wss:// or ws:// URL; on failure returns nullopt and sets `error` to a reason.
std::optional<Url> parse_ws_url(std::string_view text, std::string& error);

/// Parses an https:// URL (a REST snapshot's) the same way; on failure returns nullopt and sets `error`.
std::optional<Url> parse_https_url(std::string_view text, std::string& error);

/// An HTTP proxy that tunnels with CONNECT: `http://[user:password@]host[:port]`.
struct ProxyUrl {
  std::string host;           ///< a name or an IP address (IPv6 without brackets)
  std::string port = "1080";  ///< curl's default for a proxy
  std::string credentials;    ///< "user:password", percent-decoded; "" for none
  /// "host:port", for messages: never the credentials.
  std::string where() const;
};

/// Parses a proxy URL (without a scheme: http://); nullopt with `error` set if malformed or not http://.
std::optional<ProxyUrl> parse_proxy_url(std::string_view text, std::string& error);

/// Whether `host` is reached directly under `no_proxy`, as curl reads it: comma-separated names
/// ("example.com" and ".example.com" both cover example.com and its subdomains), IP addresses
/// (exact, or IPv4 address/bits), or "*" alone for every host.
bool bypasses_proxy(std::string_view host, std::string_view no_proxy);

/// Whether a connection to `url` goes through `proxy`: not where `no_proxy` covers its host, nor for
/// ws:// unless the proxy is for `plain` URLs too (--proxy; https_proxy is for TLS alone).
bool uses_proxy(const Url& url, const std::optional<ProxyUrl>& proxy, std::string_view no_proxy, bool plain);

/// Replaces every `{symbol}` in `pattern` with `symbol`.
std::string expand_symbol(std::string_view pattern, std::string_view symbol);

}  // namespace wsbook
