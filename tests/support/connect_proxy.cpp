#include "support/connect_proxy.h"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace wsbook::testing {
namespace {

void send_all(int fd, const std::string& s) {
  for (std::size_t off = 0; off < s.size();) {
    const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}

// The request head, up to its blank line; "" if the client left first.
std::string read_head(int fd) {
  std::string head;
  char c;
  while (head.size() < 16384 && !head.ends_with("\r\n\r\n") && ::recv(fd, &c, 1, 0) == 1) head += c;
  return head.ends_with("\r\n\r\n") ? head : "";
}

int connect_to(const std::string& host, const std::string& port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  return fd;
}

// Copies bytes both ways until either side closes.
void relay(int a, int b, const std::atomic<bool>& stopping) {
  char buf[16384];
  while (!stopping) {
    pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    if (::poll(fds, 2, 100) < 0) return;
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      send_all(fds[1 - i].fd, std::string(buf, static_cast<std::size_t>(n)));
    }
  }
}

}  // namespace

std::string base64(const std::string& in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto byte = [&in](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])); };
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63];
  }
  if (const std::size_t rest = in.size() - i; rest > 0) {
    const std::uint32_t n = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

int listen_local(std::uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in at{};
  at.sin_family = AF_INET;
  at.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof at;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&at), sizeof at) != 0 || ::listen(fd, 16) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&at), &len) != 0) {
    if (fd >= 0) ::close(fd);
    return -1;
  }
  port = ntohs(at.sin_port);
  return fd;
}

ConnectProxy::ConnectProxy(Options options) : options_(std::move(options)) {
  listen_fd_ = listen_local(port_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

ConnectProxy::~ConnectProxy() {
  stopping_ = true;
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (auto& t : threads_) t.join();
  for (int fd : open_fds_) ::close(fd);
  ::close(listen_fd_);
}

std::string ConnectProxy::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> ConnectProxy::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void ConnectProxy::accept_loop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int client = ::accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    std::lock_guard lock(mutex_);
    open_fds_.push_back(client);
    threads_.emplace_back([this, client] { serve(client); });
  }
}

void ConnectProxy::serve(int client) {
  const std::string head = read_head(client);
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(head);
  }
  // "CONNECT host:port HTTP/1.1"
  const auto sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
  const std::string to = sp1 == std::string::npos ? "" : head.substr(sp1 + 1, sp2 - sp1 - 1);
  const auto colon = to.rfind(':');
  std::string host = to.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const bool authorized = options_.credentials.empty() ||
                          head.find("Proxy-Authorization: Basic " + base64(options_.credentials) + "\r\n") !=
                              std::string::npos;
  int target = -1;
  if (!head.starts_with("CONNECT ") || colon == std::string::npos) {
    send_all(client, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  } else if (!authorized) {
    send_all(client, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                     "Content-Length: 0\r\n\r\n");
  } else if (options_.refuse_status != 0) {
    send_all(client, "HTTP/1.1 " + std::to_string(options_.refuse_status) + " Refused\r\nContent-Length: 0\r\n\r\n");
  } else if ((target = connect_to(host, to.substr(colon + 1))) < 0) {
    send_all(client, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
  } else {
    {
      std::lock_guard lock(mutex_);
      open_fds_.push_back(target);
    }
    ++tunnels_;
    send_all(client, "HTTP/1.1 200 Connection established\r\n\r\n");
    relay(client, target, stopping_);
  }
  ::shutdown(client, SHUT_RDWR);
  if (target >= 0) ::shutdown(target, SHUT_RDWR);
}

}  // namespace wsbook::testing
