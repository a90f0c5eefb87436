// HTTP CONNECT (RFC 9110 9.3.6): one request, one answer, then the bytes of the
// TLS session to the venue.
#include "proxy_tunnel.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace wsbook::net {
namespace {

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// "host:port", IPv6 in brackets.
std::string authority(const Url& u) {
  return (u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host) + ":" + u.port;
}

// What the proxy said, fit for one log line: short, no control characters (no terminal escapes).
std::string printable(std::string_view text) {
  std::string out(text.substr(0, 80));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

}  // namespace

std::string connect_request(const ProxyUrl& proxy, const Url& target) {
  const std::string to = authority(target);
  std::string req = "CONNECT " + to + " HTTP/1.1\r\nHost: " + to + "\r\nUser-Agent: " + user_agent() + "\r\n";
  if (!proxy.credentials.empty()) req += "Proxy-Authorization: Basic " + base64(proxy.credentials) + "\r\n";
  return req + "\r\n";
}

std::string read_answer(const std::string& answer, std::size_t header_end, const ProxyUrl& proxy, const Url& target) {
  const std::string status_line = answer.substr(0, answer.find("\r\n"));
  const std::string prefix = "proxy " + proxy.where() + " refused the tunnel to " + authority(target) + ": ";
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12 || status_line[8] != ' ') {
    return "proxy " + proxy.where() + " answered CONNECT with what is not HTTP: " + printable(status_line);
  }
  const int status = std::atoi(status_line.c_str() + 9);
  const std::string said = printable(std::string_view(status_line).substr(9));
  if (status == 407) {
    return prefix + said +
           (proxy.credentials.empty() ? " (give user:password@ in the proxy URL)" : " (the proxy refused the credentials)");
  }
  if (status < 200 || status > 299) return prefix + said;
  if (header_end != answer.size()) return "proxy " + proxy.where() + " sent data before the tunnel opened";
  return {};
}

std::string Hop::what() const { return proxy != nullptr ? "proxy " + proxy->where() : host + ":" + port; }

Hop first_hop(const Url& url, const std::optional<ProxyUrl>& proxy, std::string_view no_proxy, bool plain) {
  if (!uses_proxy(url, proxy, no_proxy, plain)) return {url.host, url.port, nullptr};
  return {proxy->host, proxy->port, &*proxy};
}

}  // namespace wsbook::net
