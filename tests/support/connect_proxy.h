#pragma once
// Test support: an HTTP CONNECT proxy on 127.0.0.1, as corporate networks
// impose: it tunnels to the target after a 200, or answers 407 without the
// right credentials, or refuses every tunnel with a status of its choice.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace wsbook::testing {

/// A CONNECT proxy on its own threads.
class ConnectProxy {
 public:
  /// How it answers a CONNECT.
  struct Options {
    std::string credentials;  ///< "user:password" to require (Basic); "": none asked
    int refuse_status = 0;    ///< answer every CONNECT with this status (e.g. 403); 0: tunnel
  };
  /// Starts listening at once.
  explicit ConnectProxy(Options options);
  ConnectProxy() : ConnectProxy(Options{}) {}
  /// Cuts every tunnel and joins its threads.
  ~ConnectProxy();
  ConnectProxy(const ConnectProxy&) = delete;
  ConnectProxy& operator=(const ConnectProxy&) = delete;

  /// "http://127.0.0.1:<port>".
  std::string url() const;
  /// Tunnels opened so far.
  int tunnels() const { return tunnels_; }
  /// Each CONNECT's request head as it came, in order.
  std::vector<std::string> requests() const;

 private:
  void accept_loop();
  void serve(int client);

  Options options_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> tunnels_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::vector<int> open_fds_;  // to shut down at the end
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

/// A socket listening on 127.0.0.1 at a free port, which it sets; -1 on failure.
int listen_local(std::uint16_t& port);

/// "dXNlcjpwYXNz" for "user:pass".
std::string base64(const std::string& in);

}  // namespace wsbook::testing
