#pragma once
// Test support: a strict reader of Prometheus's text exposition format
// (0.0.4), and a plain HTTP/1.1 request to 127.0.0.1, to scrape with.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace wsbook::testing {

/// Every sample of an exposition by its series ("name{a=\"x\",b=\"y\"}", labels as written), and each family's type.
struct Exposition {
  std::map<std::string, double> samples;     ///< series -> value
  std::map<std::string, std::string> types;  ///< family name -> counter, gauge, ...
  std::string error;  ///< "" if the text keeps every rule; else the first rule broken, with its line
};

/// Reads `text` by the format's rules: HELP and TYPE once per family and before its samples, a
/// family's samples together, names and labels well formed, label values escaped, values
/// floats (or NaN, +Inf, -Inf), no series twice, counters named *_total, a newline at the end.
Exposition parse_exposition(std::string_view text);

/// What an HTTP server answered.
struct HttpReply {
  int status = 0;  ///< 0: no answer
  std::string headers;  ///< the header lines, raw
  std::string body;
};

/// Sends `method path` to 127.0.0.1:`port` with Connection: close and reads the whole answer
/// (status 0 after 10 s without one).
HttpReply http_request(std::uint16_t port, std::string_view method, std::string_view path);

/// A kept-alive HTTP/1.1 connection to 127.0.0.1, as Prometheus scrapes: one request after another.
class HttpConnection {
 public:
  /// Connects at once.
  explicit HttpConnection(std::uint16_t port);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;
  /// GETs `path` and reads its answer by Content-Length; status 0 if none came within 10 s.
  HttpReply get(std::string_view path);

 private:
  int fd_ = -1;
  std::string buffered_;
};

}  // namespace wsbook::testing
