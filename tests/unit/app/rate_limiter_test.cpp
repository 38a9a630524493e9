#include "app/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace jkjav::app {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Instant = std::chrono::steady_clock::time_point;

const Instant kStart = Instant(seconds(1'000'000));

ClientKey client(std::uint32_t n) {
    ClientKey key{};
    key[10] = key[11] = 0xFF;  // v4-mapped, as the HTTP adapter keys IPv4 clients
    key[12] = static_cast<std::uint8_t>(n >> 24);
    key[13] = static_cast<std::uint8_t>(n >> 16);
    key[14] = static_cast<std::uint8_t>(n >> 8);
    key[15] = static_cast<std::uint8_t>(n);
    return key;
}

int allowedOf(RateLimiter& limiter, const ClientKey& key, int requests, Instant at) {
    int allowed = 0;
    for (int i = 0; i < requests; ++i) allowed += limiter.admit(key, at).allowed ? 1 : 0;
    return allowed;
}

TEST(RateLimiter, OffAllowsEverythingAndHoldsNoTable) {
    RateLimiter limiter(0);
    EXPECT_FALSE(limiter.enabled());
    EXPECT_EQ(limiter.cells(), 0u);
    EXPECT_EQ(allowedOf(limiter, client(1), 1000, kStart), 1000);
}

TEST(RateLimiter, EachClientHasItsOwnBucket) {
    RateLimiter limiter(2);
    EXPECT_EQ(allowedOf(limiter, client(1), 10, kStart), 4);
    EXPECT_EQ(allowedOf(limiter, client(2), 10, kStart), 4);
    const Admission refused = limiter.admit(client(1), kStart);
    EXPECT_FALSE(refused.allowed);
    EXPECT_EQ(refused.retryAfterSeconds, 1);
    EXPECT_TRUE(limiter.admit(client(1), kStart + milliseconds(500)).allowed);
}

TEST(RateLimiter, ItsMemoryIsFixedWhateverTheNumberOfClients) {
    RateLimiter limiter(1, 1024, 42);
    const std::size_t cells = limiter.cells();
    EXPECT_EQ(cells, 1024u);
    for (std::uint32_t n = 0; n < 100'000; ++n) limiter.admit(client(n), kStart + milliseconds(n));
    EXPECT_EQ(limiter.cells(), cells);
}

// One set of four cells: every client competes for it, so eviction is visible.
TEST(RateLimiter, ASprayEvictsFullAndNearlyFullBucketsFirst) {
    RateLimiter limiter(1, RateLimiter::kWays, 42);
    const ClientKey abuser = client(7);
    EXPECT_EQ(allowedOf(limiter, abuser, 10, kStart), 2);
    for (std::uint32_t n = 100; n < 10'100; ++n) {
        EXPECT_TRUE(limiter.admit(client(n), kStart + milliseconds(1)).allowed) << n;
    }
    // Each sprayed address took one token of two; the abuser took both and stays refused.
    EXPECT_FALSE(limiter.admit(abuser, kStart + milliseconds(2)).allowed);
}

TEST(RateLimiter, AnEvictedClientGetsAFreshBucketOnly) {
    RateLimiter limiter(1, RateLimiter::kWays, 42);
    for (std::uint32_t n = 0; n < 4; ++n) EXPECT_EQ(allowedOf(limiter, client(n), 5, kStart), 2);
    // A fifth client must take a cell; all four are equally empty, one of them goes.
    EXPECT_EQ(allowedOf(limiter, client(4), 5, kStart), 2);
    int refreshed = 0;
    for (std::uint32_t n = 0; n < 4; ++n) {
        const int allowed = allowedOf(limiter, client(n), 5, kStart);
        EXPECT_LE(allowed, 2) << "client " << n << " got more than one burst";
        refreshed += allowed == 2 ? 1 : 0;
    }
    EXPECT_GE(refreshed, 1);
}

// SO_REUSEPORT puts one client's connections on several threads: they must share one bucket.
TEST(RateLimiter, ThreadsShareOneBucketPerClient) {
    RateLimiter limiter(50);  // a burst of 100
    std::atomic<int> allowed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] { allowed += allowedOf(limiter, client(9), 1000, kStart); });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(allowed.load(), 100);
}

}  // namespace
}  // namespace jkjav::app
