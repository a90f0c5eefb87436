#pragma once
// wss:// and https:// URLs as the crawler needs them: host for SNI and verification, port, target.

#include <optional>
#include <string>
#include <string_view>

namespace wsbook {

/// A parsed `wss://host[:port][/path][?query]` (or https://).
struct Url {
  std::string host;    ///< for DNS, SNI, certificate verification and the Host header
  std::string port;    ///< "443" unless given
  std::string target;  ///< path and query, at least "/"
};

/// Parses a wss:// URL; on failure returns nullopt and sets `error` to a reason.
std::optional<Url> parse_wss_url(std::string_view text, std::string& error);

/// Parses an https:// URL (a REST snapshot's) the same way; on failure returns nullopt and sets `error`.
std::optional<Url> parse_https_url(std::string_view text, std::string& error);

/// Replaces every `{symbol}` in `pattern` with `symbol`.
std::string expand_symbol(std::string_view pattern, std::string_view symbol);

}  // namespace wsbook
