#include "connector.h"

namespace wsbook::net {
namespace {

class NetworkConnector final : public Connector {
 public:
  explicit NetworkConnector(boost::asio::ssl::context& tls) : tls_(tls) {}
  std::shared_ptr<Session> start(boost::asio::io_context& ioc, const Url& url, const ConnectionOptions& options,
                                 SessionListener& listener) override {
    return start_session(ioc, tls_, url, options, listener);
  }

 private:
  boost::asio::ssl::context& tls_;
};

}  // namespace

std::unique_ptr<Connector> make_network_connector(boost::asio::ssl::context& tls) {
  return std::make_unique<NetworkConnector>(tls);
}

}  // namespace wsbook::net
