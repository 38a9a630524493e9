// The tests' own HTTP client must not hide a server that drops requests: it retries nothing but a
// GET or HEAD on a keep-alive connection the server had already closed.
#include "http_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "process.hpp"

namespace jkjav::testing {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// A loopback server that, on every connection, reads requests and either answers the first one
// (keep-alive) and then closes, or closes without a byte; it counts the requests it read.
class DroppingServer {
  public:
    explicit DroppingServer(bool answerFirst) : answerFirst_(answerFirst) {
        acceptor_.open(tcp::v4());
        acceptor_.bind({asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen();
        thread_ = std::thread([this] { run(); });
    }
    ~DroppingServer() {
        stopping_ = true;
        boost::system::error_code ignored;
        tcp::socket wake(context_);
        wake.connect(acceptor_.local_endpoint(), ignored);  // unblocks accept()
        thread_.join();
    }
    [[nodiscard]] int port() const { return acceptor_.local_endpoint().port(); }
    [[nodiscard]] int requests() const { return requests_; }

  private:
    void run() {
        while (!stopping_) {
            tcp::socket socket(context_);
            boost::system::error_code ec;
            acceptor_.accept(socket, ec);
            if (ec || stopping_) return;
            asio::streambuf buffer;
            // Requests here carry a body of at most a few bytes after their head; reading the head is
            // enough to count them.
            if (asio::read_until(socket, buffer, "\r\n\r\n", ec) == 0 || ec) continue;
            ++requests_;
            if (answerFirst_) {
                asio::write(socket,
                            asio::buffer(std::string("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")), ec);
            }
            socket.shutdown(tcp::socket::shutdown_both, ec);
            socket.close(ec);  // every connection ends after at most one answer
        }
    }

    bool answerFirst_;
    asio::io_context context_;
    tcp::acceptor acceptor_{context_};
    std::atomic<bool> stopping_{false};
    std::atomic<int> requests_{0};
    std::thread thread_;
};

TEST(TestHttpClient, APostTheServerDroppedIsNotRetried) {
    DroppingServer server(false);
    HttpClient client(server.port());
    EXPECT_EQ(client.postJson("/booking", "{}").status, 0);
    EXPECT_EQ(server.requests(), 1);
}

TEST(TestHttpClient, ADeleteOrGetTheServerDroppedOnAFreshConnectionIsNotRetried) {
    DroppingServer server(false);
    HttpClient client(server.port());
    EXPECT_EQ(client.request("DELETE", "/booking/1", "", {}).status, 0);
    EXPECT_EQ(client.get("/healthz").status, 0);
    EXPECT_EQ(server.requests(), 2);
}

TEST(TestHttpClient, APostAfterTheServerClosedTheConnectionGoesOnceOnANewOne) {
    DroppingServer server(true);
    HttpClient client(server.port());
    ASSERT_EQ(client.get("/healthz").status, 200);  // then the server closes the connection
    EXPECT_TRUE(eventually([&] { return server.requests() == 1; }));
    EXPECT_EQ(client.postJson("/booking", "{}").status, 200);
    EXPECT_EQ(server.requests(), 2);
}

TEST(TestHttpClient, AGetOnAConnectionTheServerClosedIsSentAgainOnANewOne) {
    DroppingServer server(true);
    HttpClient client(server.port());
    ASSERT_EQ(client.get("/healthz").status, 200);
    EXPECT_EQ(client.get("/healthz").status, 200);
    EXPECT_EQ(server.requests(), 2);
}

}  // namespace
}  // namespace jkjav::testing
