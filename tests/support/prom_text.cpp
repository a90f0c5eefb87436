#include "prom_text.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>
#include <vector>

namespace wsbook::testing {
namespace {

bool name_char(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

// A metric name (`colons`) or label name at `i`; "" if there is none.
std::string read_name(std::string_view s, std::size_t& i, bool colons) {
  const std::size_t start = i;
  while (i < s.size() && name_char(s[i], i == start) && (colons || s[i] != ':')) ++i;
  return std::string(s.substr(start, i - start));
}

bool read_value(std::string_view s, double& out) {
  const std::string text(s);
  if (text == "+Inf" || text == "-Inf" || text == "NaN") return true;
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

// `{a="x",b="y"}` at `i` (i at '{'); its canonical text, or "" with `error` set.
std::string read_labels(std::string_view s, std::size_t& i, std::string& error) {
  std::string out = "{";
  std::set<std::string> seen;
  ++i;
  while (i < s.size() && s[i] != '}') {
    const std::string name = read_name(s, i, false);
    if (name.empty() || name.starts_with("__")) return error = "bad label name", "";
    if (!seen.insert(name).second) return error = "label " + name + " twice", "";
    if (i + 1 >= s.size() || s[i] != '=' || s[i + 1] != '"') return error = "label without =\"", "";
    i += 2;
    out += (out.size() > 1 ? "," : "") + name + "=\"";
    for (; i < s.size() && s[i] != '"'; ++i) {
      if (s[i] == '\\') {
        if (i + 1 >= s.size() || (s[i + 1] != '\\' && s[i + 1] != '"' && s[i + 1] != 'n')) {
          return error = "bad escape in a label value", "";
        }
        out += s[i];
        ++i;
      }
      out += s[i];
    }
    if (i >= s.size()) return error = "unterminated label value", "";
    out += '"';
    ++i;
    if (i < s.size() && s[i] == ',') ++i;
  }
  if (i >= s.size()) return error = "labels without }", "";
  ++i;
  return out + "}";
}

struct Reader {
  Exposition e;
  std::set<std::string> helped, finished, sampled;
  std::string current;  // the family whose samples are coming

  void fail(const std::string& why, std::string_view line) {
    if (e.error.empty()) e.error = why + ": " + std::string(line);
  }

  void comment(std::string_view line) {
    const bool help = line.starts_with("# HELP "), type = line.starts_with("# TYPE ");
    if (!help && !type) return;  // any other comment is allowed
    std::size_t i = 7;
    const std::string name = read_name(line, i, true);
    if (name.empty() || i >= line.size() || line[i] != ' ') return fail("bad HELP/TYPE", line);
    if (sampled.count(name)) return fail("HELP or TYPE after the family's samples", line);
    if (help && !helped.insert(name).second) return fail("HELP twice", line);
    if (type) {
      const std::string t(line.substr(i + 1));
      if (t != "counter" && t != "gauge" && t != "histogram" && t != "summary" && t != "untyped") {
        return fail("unknown type", line);
      }
      if (!e.types.emplace(name, t).second) return fail("TYPE twice", line);
      if (t == "counter" && !name.ends_with("_total")) return fail("a counter not named _total", line);
    }
    switch_family(name, line);
  }

  void switch_family(const std::string& name, std::string_view line) {
    if (name == current) return;
    if (finished.count(name)) return fail("a family's lines apart", line);
    if (!current.empty()) finished.insert(current);
    current = name;
  }

  void sample(std::string_view line) {
    std::size_t i = 0;
    const std::string name = read_name(line, i, true);
    if (name.empty()) return fail("bad metric name", line);
    switch_family(name, line);
    if (!e.types.count(name)) return fail("a sample before its TYPE", line);
    sampled.insert(name);
    std::string series = name;
    if (i < line.size() && line[i] == '{') {
      std::string error;
      const std::string labels = read_labels(line, i, error);
      if (!error.empty()) return fail(error, line);
      series += labels;
    }
    if (i >= line.size() || line[i] != ' ') return fail("no space before the value", line);
    std::string_view rest = line.substr(i + 1);
    rest = rest.substr(0, rest.find(' '));  // a timestamp may follow
    double v = 0;
    if (!read_value(rest, v)) return fail("bad value", line);
    if (rest == "+Inf") v = INFINITY;
    if (rest == "-Inf") v = -INFINITY;
    if (rest == "NaN") v = NAN;
    if (!e.samples.emplace(series, v).second) return fail("a series twice", line);
  }
};

}  // namespace

Exposition parse_exposition(std::string_view text) {
  Reader r;
  if (!text.empty() && text.back() != '\n') r.fail("no newline at the end", text.substr(text.rfind('\n') + 1));
  std::size_t start = 0;
  while (start < text.size() && r.e.error.empty()) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, (end == std::string_view::npos ? text.size() : end) - start);
    start = end == std::string_view::npos ? text.size() : end + 1;
    if (line.empty()) continue;
    if (line.front() == '#') r.comment(line);
    else r.sample(line);
  }
  return r.e;
}

namespace {

// A socket connected to 127.0.0.1:port whose reads give up after 10 s; -1 on failure.
int connect_local(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_port = htons(port);
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval limit{10, 0};
  if (fd < 0 || ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  return fd;
}

// Status, headers and body of one answer at the start of `all`, if all of it is there; its length, or 0.
std::size_t split_reply(const std::string& all, HttpReply& reply, bool to_eof) {
  const auto head_end = all.find("\r\n\r\n");
  if (!all.starts_with("HTTP/1.1 ") || head_end == std::string::npos) return 0;
  reply.status = std::atoi(all.c_str() + 9);
  reply.headers = all.substr(0, head_end);
  std::size_t length = all.size() - head_end - 4;
  if (!to_eof) {
    const auto at = reply.headers.find("Content-Length: ");
    if (at == std::string::npos) return 0;
    length = static_cast<std::size_t>(std::atol(reply.headers.c_str() + at + 16));
    if (all.size() < head_end + 4 + length) return 0;
  }
  reply.body = all.substr(head_end + 4, length);
  return head_end + 4 + length;
}

}  // namespace

HttpConnection::HttpConnection(std::uint16_t port) : fd_(connect_local(port)) {}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) ::close(fd_);
}

HttpReply HttpConnection::get(std::string_view path) {
  HttpReply reply;
  const std::string req = "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  if (fd_ < 0 || ::write(fd_, req.data(), req.size()) != static_cast<ssize_t>(req.size())) return reply;
  char buf[8192];
  std::size_t used = 0;
  while ((used = split_reply(buffered_, reply, false)) == 0) {
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) return HttpReply{};
    buffered_.append(buf, static_cast<std::size_t>(n));
  }
  buffered_.erase(0, used);
  return reply;
}

HttpReply http_request(std::uint16_t port, std::string_view method, std::string_view path) {
  HttpReply reply;
  const int fd = connect_local(port);
  if (fd < 0) return reply;
  const std::string req = std::string(method) + " " + std::string(path) +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) {
    ::close(fd);
    return reply;
  }
  std::string all;
  char buf[8192];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) all.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  split_reply(all, reply, true);
  return reply;
}

}  // namespace wsbook::testing
