#include "wsbook/backoff.h"

#include <gtest/gtest.h>

namespace wsbook {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DelaysGrowExponentiallyWithJitterWithinMinAndMax) {
  Backoff b({milliseconds(500), milliseconds(30'000), std::nullopt}, 42);
  for (std::uint32_t failures = 0; failures < 12; ++failures) {
    const long long ceiling = std::min(30'000LL, 500LL << (failures + 1));
    bool saw_spread = false;
    milliseconds first{};
    for (int i = 0; i < 200; ++i) {
      const milliseconds d = b.delay();
      EXPECT_GE(d.count(), 500);
      EXPECT_LE(d.count(), ceiling);
      if (i == 0) first = d;
      saw_spread |= d != first;
    }
    EXPECT_TRUE(saw_spread) << "no jitter after " << failures << " failures";
    b.failed();
  }
}

TEST(Backoff, RetryAfterIsAFloor) {
  Backoff b({milliseconds(500), milliseconds(1000), std::nullopt}, 1);
  EXPECT_GE(b.delay(milliseconds(7000)).count(), 7000);
}

TEST(Backoff, GivesUpAfterMaxRetriesConsecutiveFailuresAndResets) {
  Backoff b({milliseconds(10), milliseconds(20), 3}, 1);
  b.failed();
  b.failed();
  EXPECT_FALSE(b.exhausted());
  b.failed();
  EXPECT_TRUE(b.exhausted());
  b.reset();
  EXPECT_FALSE(b.exhausted());
  EXPECT_EQ(b.failures(), 0u);
}

TEST(Backoff, WithoutMaxRetriesNeverGivesUp) {
  Backoff b({milliseconds(10), milliseconds(20), std::nullopt}, 1);
  for (int i = 0; i < 1000; ++i) b.failed();
  EXPECT_FALSE(b.exhausted());
  EXPECT_LE(b.delay().count(), 20);
}

}  // namespace
}  // namespace wsbook
