// Linked into the test programs that run the binary: the proxy settings of the
// machine running the tests are not the tests', which talk to 127.0.0.1 alone.
#include <gtest/gtest.h>

#include <cstdlib>

namespace {

class NoProxyEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override {
    for (const char* name : {"https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY"}) ::unsetenv(name);
  }
};

[[maybe_unused]] const ::testing::Environment* const kRegistered =
    ::testing::AddGlobalTestEnvironment(new NoProxyEnvironment);

}  // namespace
