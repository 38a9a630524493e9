// Per-client-IP rate limits, X-Forwarded-For from trusted proxies only, the failed-lookup lock,
// and bounded memory under an address spray: against a server of its own with the limits set.
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Tcp = asio::ip::tcp;

constexpr const char* kPhone = "012-3456789";

class RateLimits : public ServerSuite {
  protected:
    // 0.01/s: a bucket of one request that takes 100 s to come back, so a second request from
    // the same client is refused however slowly the test runs.
    static void SetUpTestSuite() {
        startServers(kTestCampaign, std::map<std::string, std::string>{
                                        {"TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"},
                                        {"RATE_LIMIT_BOOKINGS_PER_IP", "0.01"},
                                        {"RATE_LIMIT_LOOKUPS_PER_IP", "0.01"},
                                        {"LOOKUP_FAILURE_LIMIT", "5"},
                                    });
    }

    // From the trusted 127.0.0.1, on behalf of `forwardedFor`.
    static HttpReply as(const std::string& forwardedFor, const std::string& method, const std::string& target,
                        const std::string& body = "") {
        HttpClient client(port());
        std::map<std::string, std::string> headers{{"X-Forwarded-For", forwardedFor}};
        if (method == "POST") headers["Content-Type"] = "application/json";
        return client.request(method, target, body, headers);
    }

    // One request on a connection of its own from `source` (127.0.0.2 is as local as 127.0.0.1
    // on Linux, but not a trusted proxy); HEAD too, which HttpClient cannot read.
    static int rawStatus(const std::string& source, const std::string& method,
                         const std::string& forwardedFor, const std::string& target) {
        asio::io_context context;
        Tcp::socket socket(context);
        socket.open(Tcp::v4());
        socket.bind({asio::ip::make_address(source), 0});
        socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port())});
        const std::string request = method + " " + target +
                                    " HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: " + forwardedFor +
                                    "\r\nConnection: close\r\n\r\n";
        asio::write(socket, asio::buffer(request));
        beast::flat_buffer buffer;
        beast::http::response_parser<beast::http::string_body> parser;
        parser.skip(method == "HEAD");
        beast::http::read(socket, buffer, parser);
        return parser.get().result_int();
    }

    static std::string lookup(const std::string& id, const std::string& phone) {
        return "/booking/" + id + "?phoneNumber=" + phone;
    }
};

std::string code(const HttpReply& reply) {
    const auto json = reply.json();
    return json.is_object() && json.as_object().contains("code") ? std::string(json.at("code").as_string())
                                                                 : "";
}

void expectRateLimited(const HttpReply& reply) {
    EXPECT_EQ(reply.status, 429) << reply.body;
    EXPECT_EQ(code(reply), "RATE_LIMITED");
    const std::string retryAfter = reply.header("retry-after");
    ASSERT_FALSE(retryAfter.empty());
    const long long seconds = std::stoll(retryAfter);
    EXPECT_GE(seconds, 1);
    EXPECT_LE(seconds, 100);  // one token at 0.01/s
    EXPECT_EQ(reply.header("cache-control"), "no-store");
}

TEST_F(RateLimits, ASecondBookingFromOneClientIs429WithRetryAfter) {
    const auto first = as("198.51.100.1", "POST", "/booking", bookingBody(myKadFor(101), "PWTC", "20210520"));
    ASSERT_EQ(first.status, 200) << first.body;
    const auto second =
        as("198.51.100.1", "POST", "/booking", bookingBody(myKadFor(102), "PWTC", "20210520"));
    expectRateLimited(second);
    EXPECT_EQ(redis().command({"EXISTS", "jkjav:booking:" + myKadFor(102)}), "0");
    // Another client is not held back by the first one's bucket.
    EXPECT_EQ(as("198.51.100.2", "POST", "/booking", bookingBody(myKadFor(102), "PWTC", "20210520")).status,
              200);
}

TEST_F(RateLimits, LookupsAndCancelsShareOneBucketPerClient) {
    const std::string target = lookup(myKadFor(110), kPhone);
    EXPECT_EQ(as("198.51.100.10", "GET", target).status, 404);
    expectRateLimited(as("198.51.100.10", "GET", target));
    EXPECT_EQ(rawStatus("127.0.0.1", "HEAD", "198.51.100.10", target), 429);
    expectRateLimited(as("198.51.100.10", "DELETE", target));
}

TEST_F(RateLimits, AvailabilityIsNeverLimited) {
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(as("198.51.100.20", "GET", "/stations/PWTC").status, 200) << i;
        EXPECT_EQ(as("198.51.100.20", "GET", "/stations/NOWHERE").status, 404) << i;
    }
}

TEST_F(RateLimits, ForwardedForCountsOnlyFromATrustedPeer) {
    const std::string target = lookup(myKadFor(120), kPhone);
    // The untrusted peer's own address is the client, whatever the header says.
    EXPECT_EQ(rawStatus("127.0.0.2", "GET", "198.51.100.30", target), 404);
    EXPECT_EQ(rawStatus("127.0.0.2", "GET", "198.51.100.31", target), 429);
    // From the trusted proxy the header names the client, and 198.51.100.31 has not asked yet.
    EXPECT_EQ(as("198.51.100.31", "GET", target).status, 404);
}

TEST_F(RateLimits, TheRightMostUntrustedForwardedAddressIsTheClient) {
    const std::string target = lookup(myKadFor(121), kPhone);
    EXPECT_EQ(as("198.51.100.40, 10.0.0.5", "GET", target).status, 404);
    // A client cannot escape its bucket by adding addresses of its own on the left.
    EXPECT_EQ(as("203.0.113.1, 198.51.100.40, 10.0.0.5", "GET", target).status, 429);
}

TEST_F(RateLimits, FiveWrongPhoneNumbersLockAnIdAsIfItHadNoBooking) {
    const std::string id = myKadFor(130);
    ASSERT_EQ(as("198.51.100.50", "POST", "/booking", bookingBody(id, "PWTC", "20210521")).status, 200);
    ASSERT_EQ(as("198.51.100.51", "GET", lookup(id, kPhone)).status, 200);

    std::string wrongBody;
    for (int i = 0; i < 5; ++i) {
        const auto wrong = as("198.51.100." + std::to_string(60 + i), "GET", lookup(id, "0199999999"));
        EXPECT_EQ(wrong.status, 404) << i;
        wrongBody = wrong.body;
    }
    const auto locked = as("198.51.100.70", "GET", lookup(id, kPhone));
    EXPECT_EQ(locked.status, 404);
    EXPECT_EQ(locked.body, wrongBody);  // the lock is indistinguishable from a wrong number
    EXPECT_EQ(as("198.51.100.71", "DELETE", lookup(id, kPhone)).status, 404);
    EXPECT_EQ(redis().command({"HGET", "jkjav:booking:" + id, "slot"}), "PWTC:20210521");

    EXPECT_EQ(redis().command({"GET", "jkjav:lookupfail:" + id}), "5");
    const long long ttl = redis().integer({"PTTL", "jkjav:lookupfail:" + id});
    EXPECT_GT(ttl, 0);
    EXPECT_LE(ttl, 15 * 60 * 1000);

    // Other people's lookups are not touched.
    const std::string other = myKadFor(131);
    ASSERT_EQ(as("198.51.100.72", "POST", "/booking", bookingBody(other, "PWTC", "20210521")).status, 200);
    EXPECT_EQ(as("198.51.100.73", "GET", lookup(other, kPhone)).status, 200);
}

// ASan's quarantine and TSan's shadow memory keep what the server frees: RSS means nothing there.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

long long residentKiB(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
    }
    return -1;
}

// `count` lookups, each from a distinct address (first + i), pipelined in batches over a few
// keep-alive connections. An id that does not parse: the limiter is consulted, Redis is not.
// Returns how many answers were 429; every request must be answered.
long long spray(int port, std::uint32_t first, std::uint32_t count) {
    constexpr int kConnections = 4;
    constexpr std::uint32_t kBatch = 200;
    asio::io_context context;
    std::vector<Tcp::socket> sockets;
    for (int i = 0; i < kConnections; ++i) {
        sockets.emplace_back(context);
        sockets.back().connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    }
    // The bound on the whole spray: past it the sockets are shut down and the reads fail.
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
    std::thread watchdog([&] {
        std::unique_lock lock(mutex);
        if (!finished.wait_for(lock, std::chrono::seconds(90), [&] { return done; })) {
            for (auto& socket : sockets) ::shutdown(socket.native_handle(), SHUT_RDWR);
        }
    });

    long long refused = 0;
    long long answered = 0;
    std::vector<beast::flat_buffer> buffers(kConnections);
    std::uint32_t next = 0;
    boost::system::error_code ec;
    while (next < count && !ec) {
        std::vector<std::uint32_t> sent(kConnections, 0);
        for (int c = 0; c < kConnections && next < count && !ec; ++c) {
            std::string requests;
            for (; sent[c] < kBatch && next < count; ++sent[c], ++next) {
                const std::uint32_t n = first + next;
                requests += "GET /booking/!?phoneNumber=1 HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: " +
                            std::to_string(n >> 24) + "." + std::to_string((n >> 16) & 255) + "." +
                            std::to_string((n >> 8) & 255) + "." + std::to_string(n & 255) + "\r\n\r\n";
            }
            asio::write(sockets[c], asio::buffer(requests), ec);
        }
        for (int c = 0; c < kConnections && !ec; ++c) {
            for (std::uint32_t i = 0; i < sent[c] && !ec; ++i) {
                beast::http::response<beast::http::string_body> response;
                beast::http::read(sockets[c], buffers[c], response, ec);
                if (ec) break;
                ++answered;
                if (response.result_int() == 429) ++refused;
            }
        }
    }
    {
        std::lock_guard lock(mutex);
        done = true;
    }
    finished.notify_one();
    watchdog.join();
    EXPECT_FALSE(ec) << ec.message();
    EXPECT_EQ(answered, count);
    return refused;
}

// 100,000 client addresses must not grow the server: its buckets live in a fixed table written
// in full at start. Any table with an entry per address would need at least a 48-byte node (16
// bytes of address, 16 of bucket, a hash and a link) plus an 8-byte bucket slot for each: 5.6 MB
// for 100,000. 2 MiB of growth allows for allocator noise and is well under that.
TEST_F(RateLimits, SprayingAddressesKeepsMemoryBounded) {
    const pid_t pid = server_->process().pid();
    // Warm up (code pages, connection buffers) with addresses of another range.
    EXPECT_EQ(spray(port(), 0x0C000000, 5'000), 0);
    const long long before = residentKiB(pid);
    ASSERT_GT(before, 0);
    EXPECT_EQ(spray(port(), 0x0B000000, 100'000), 0);  // 11.0.0.0 up: distinct, untrusted, fresh
    const long long after = residentKiB(pid);
    RecordProperty("rss_before_kib", std::to_string(before));
    RecordProperty("rss_after_kib", std::to_string(after));
    std::printf("VmRSS before %lld KiB, after 100,000 addresses %lld KiB\n", before, after);
    if (!kSanitized) EXPECT_LT(after - before, 2 * 1024);
    // And the limiter still limits after the spray.
    EXPECT_EQ(as("198.51.100.90", "GET", lookup(myKadFor(140), kPhone)).status, 404);
    EXPECT_EQ(as("198.51.100.90", "GET", lookup(myKadFor(140), kPhone)).status, 429);
}

}  // namespace
}  // namespace jkjav::testing
