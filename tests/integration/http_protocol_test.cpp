// HTTP/1.1 behaviour over raw sockets: pipelining, slow and half-open clients, malformed requests,
// framing that could smuggle a request, and what error bodies may say.
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "case_names.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

class HttpProtocol : public ServerSuite {
  protected:
    // Every wait on a raw connection has a bound: a test still running after kBound has its raw
    // connections shut down by a watchdog, which ends any blocked read or write with an error, and
    // fails. (Blocking Asio reads ignore SO_RCVTIMEO, so the bound cannot live in the socket.)
    static constexpr auto kBound = std::chrono::seconds(10);

    void SetUp() override {
        watchdog_ = std::thread([this] {
            std::unique_lock lock(mutex_);
            if (finished_.wait_for(lock, kBound, [this] { return done_; })) return;
            fired_ = true;
            for (const int fd : sockets_) ::shutdown(fd, SHUT_RDWR);
        });
    }
    void TearDown() override {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
        }
        finished_.notify_all();
        watchdog_.join();
        EXPECT_FALSE(fired_) << "a wait on a raw connection outlasted " << kBound.count() << " s";
    }

    // receiveBuffer: SO_RCVBUF in bytes, set before connecting (after, the window already offered
    // stays, and the kernel stalls the connection when the buffer shrinks under it).
    asio::ip::tcp::socket rawConnection(int receiveBuffer = 0) {
        asio::ip::tcp::socket socket(context_);
        socket.open(asio::ip::tcp::v4());
        if (receiveBuffer > 0) socket.set_option(asio::socket_base::receive_buffer_size(receiveBuffer));
        socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port())});
        std::lock_guard lock(mutex_);
        sockets_.push_back(socket.native_handle());
        return socket;
    }
    // Sends raw bytes on a connection and reads the one response they get.
    static beast::http::response<beast::http::string_body> exchange(asio::ip::tcp::socket& socket,
                                                                    const std::string& bytes) {
        asio::write(socket, asio::buffer(bytes));
        beast::flat_buffer buffer;
        beast::http::response<beast::http::string_body> response;
        beast::http::read(socket, buffer, response);
        return response;
    }

    using Reply = beast::http::response<beast::http::string_body>;

    // Waits (at most until the watchdog's bound) for the server to close the connection; true when
    // it did (end of stream), false when it sent something or the watchdog cut the wait short.
    bool closedByServer(asio::ip::tcp::socket& socket) {
        char byte;
        boost::system::error_code ec;
        socket.read_some(asio::buffer(&byte, 1), ec);
        return ec == asio::error::eof && !fired_;
    }
    asio::io_context context_;
    std::mutex mutex_;
    std::condition_variable finished_;
    bool done_ = false;
    std::atomic<bool> fired_{false};
    std::vector<int> sockets_;  // native handles of the raw connections
    std::thread watchdog_;
};

TEST_F(HttpProtocol, PipelinedRequestsAreAnsweredInOrder) {
    auto socket = rawConnection();
    const std::string requests =
        "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
        "GET /stations/NOWHERE HTTP/1.1\r\nHost: t\r\n\r\n"
        "POST /booking HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]"
        "GET /stations/ONE HTTP/1.1\r\nHost: t\r\n\r\n";
    asio::write(socket, asio::buffer(requests));
    beast::flat_buffer buffer;
    std::vector<int> statuses;
    std::vector<std::string> bodies;
    for (int i = 0; i < 4; ++i) {
        beast::http::response<beast::http::string_body> response;
        beast::http::read(socket, buffer, response);
        statuses.push_back(response.result_int());
        bodies.push_back(response.body());
    }
    EXPECT_EQ(statuses, (std::vector<int>{200, 404, 400, 200}));
    EXPECT_NE(bodies[1].find("UNKNOWN_LOCATION"), std::string::npos);
    EXPECT_NE(bodies[2].find("MALFORMED_JSON"), std::string::npos);
    EXPECT_NE(bodies[3].find("\"location\":\"ONE\""), std::string::npos);
}

// More answers than the sockets' buffers hold (3,000 of 1.8 KB against a 4 MB send-buffer ceiling),
// pipelined by a client reading through a 4 KiB receive buffer while it still sends: the server's
// writes outrun it, stop part way and go on when it reads (send()'s asynchronous remainder). Every
// answer arrives whole, in order.
TEST_F(HttpProtocol, AnswersBeyondTheSocketBuffersArriveWholeAndInOrder) {
    auto socket = rawConnection(4096);
    constexpr int kRequests = 3000;
    std::string requests;
    for (int i = 0; i < kRequests; ++i) requests += "GET /stations/PWTC HTTP/1.1\r\nHost: t\r\n\r\n";
    // The requests go out through the descriptor itself: one Asio socket object is not to be used
    // from two threads at once, and the reads below use it.
    int writeErrno = 0;
    std::thread writer([&requests, &writeErrno, fd = socket.native_handle()] {
        for (std::size_t sent = 0; sent < requests.size();) {
            const ssize_t n = ::send(fd, requests.data() + sent, requests.size() - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                writeErrno = errno;
                return;
            }
            sent += static_cast<std::size_t>(n);
        }
    });
    beast::flat_buffer buffer;
    std::string first;
    int whole = 0;
    for (int i = 0; i < kRequests; ++i) {
        Reply response;
        boost::system::error_code ec;
        beast::http::read(socket, buffer, response, ec);
        if (ec || response.result_int() != 200) break;
        if (i == 0) first = response.body();
        // Whole: PWTC's whole array. Not equal to the first: a booking by a test run just before on
        // this server may reach the snapshot while these are answered (the shuffled run).
        const std::string& body = response.body();
        if (!body.starts_with(R"([{"location":"PWTC")") || !body.ends_with("}]")) break;
        ++whole;
    }
    writer.join();
    EXPECT_EQ(writeErrno, 0) << std::strerror(writeErrno);
    EXPECT_EQ(whole, kRequests);
    EXPECT_GT(first.size(), 1000u);
}

// A head longer than the session's first read (1 KiB): what that read brought is parsed, the rest
// is read on into the same parser, and the request is answered like any other, on a connection that
// stays in step for the next one.
TEST_F(HttpProtocol, AHeadLongerThanTheFirstReadIsReadOnAndAnswered) {
    auto socket = rawConnection();
    const std::string padding(3000, 'p');
    const auto response =
        exchange(socket, "GET /stations/PWTC HTTP/1.1\r\nHost: t\r\nX-Padding: " + padding + "\r\n\r\n");
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_NE(response.body().find("\"location\":\"PWTC\""), std::string::npos);
    EXPECT_EQ(exchange(socket, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").result_int(), 200);
}

TEST_F(HttpProtocol, HeadAnswersHeadersOnlyAndTheConnectionStaysInStep) {
    auto socket = rawConnection();
    asio::write(socket, asio::buffer(std::string("HEAD /stations/PWTC HTTP/1.1\r\nHost: t\r\n\r\n"
                                                 "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")));
    beast::flat_buffer buffer;
    beast::http::response_parser<beast::http::empty_body> head;
    head.skip(true);  // a response to HEAD has no body, whatever Content-Length says
    beast::http::read(socket, buffer, head);
    EXPECT_EQ(head.get().result_int(), 200);
    EXPECT_GT(std::stoul(std::string(head.get()[beast::http::field::content_length])), 100u);
    beast::http::response<beast::http::string_body> next;
    beast::http::read(socket, buffer, next);
    EXPECT_EQ(next.result_int(), 200);
    EXPECT_EQ(next.body(), R"({"status":"OK"})");
}

TEST_F(HttpProtocol, ASlowClientHoldsUpNobodyAndIsCutOff) {
    auto slow = rawConnection();
    asio::write(slow, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: t\r\n")));  // never finished
    auto silent = rawConnection();  // half-open: connects, sends nothing

    HttpClient client(port());
    for (int i = 0; i < 20; ++i) ASSERT_EQ(client.get("/healthz").status, 200);

    // READ_TIMEOUT_MS is 500 in this suite: the unfinished request's connection gets closed.
    EXPECT_TRUE(closedByServer(slow));
    silent.close();
}

TEST_F(HttpProtocol, AnIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
    auto socket = rawConnection();
    const auto response = exchange(socket, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    ASSERT_EQ(response.result_int(), 200);
    ASSERT_TRUE(response.keep_alive());
    // IDLE_TIMEOUT_MS is 1500 in this suite: the listener's sweep closes the connection.
    EXPECT_TRUE(closedByServer(socket));
}

TEST_F(HttpProtocol, MalformedHttpGetsAJsonErrorAndTheConnectionCloses) {
    auto socket = rawConnection();
    const auto response = exchange(socket, "GARBAGE\r\n\r\n");
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_NE(response.body().find("\"code\":\"INVALID_REQUEST\""), std::string::npos);
    EXPECT_FALSE(response.keep_alive());
}

TEST_F(HttpProtocol, AnOversizedBodyIsRefusedBeforeItIsRead) {
    auto socket = rawConnection();
    const auto response = exchange(socket,
                                   "POST /booking HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                                   "Content-Length: 10000000\r\n\r\n{");
    EXPECT_EQ(response.result_int(), 413);
    EXPECT_NE(response.body().find("PAYLOAD_TOO_LARGE"), std::string::npos);
}

TEST_F(HttpProtocol, TheSmugglingReproGetsOne400AndTheConnectionCloses) {
    auto socket = rawConnection();
    const auto response =
        exchange(socket,
                 "POST /booking HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: xchunked\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_NE(response.body().find("\"code\":\"INVALID_REQUEST\""), std::string::npos) << response.body();
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(closedByServer(socket));  // and no second answer: the "body" never ran as a request
}

struct Framing {
    const char* name;
    std::string headers;  // framing header lines of a POST /booking, each ending in \r\n
    std::string body;
};

void PrintTo(const Framing& c, std::ostream* os) {
    *os << c.name << ": " << escaped(c.headers) << " then " << escaped(c.body);
}

class BadFraming : public HttpProtocol, public ::testing::WithParamInterface<Framing> {};

TEST_P(BadFraming, IsRefusedWith400AndTheConnectionCloses) {
    auto socket = rawConnection();
    const auto response =
        exchange(socket, "POST /booking HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
                             GetParam().headers + "\r\n" + GetParam().body);
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_NE(response.body().find("\"code\":\"INVALID_REQUEST\""), std::string::npos) << response.body();
    EXPECT_FALSE(response.keep_alive());
    EXPECT_TRUE(closedByServer(socket));
}

INSTANTIATE_TEST_SUITE_P(
    TransferEncodings, BadFraming,
    ::testing::Values(
        Framing{"Xchunked", "Transfer-Encoding: xchunked\r\n", ""},
        Framing{"Gzip", "Transfer-Encoding: gzip\r\n", ""},
        Framing{"Identity", "Transfer-Encoding: identity\r\n", ""},
        Framing{"ChunkedThenGzip", "Transfer-Encoding: chunked, gzip\r\n", ""},
        Framing{"GzipThenChunked", "Transfer-Encoding: gzip, chunked\r\n", "2\r\n[]\r\n0\r\n\r\n"},
        Framing{"ChunkedTwice", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                "2\r\n[]\r\n0\r\n\r\n"},
        Framing{"GzipLineThenChunkedLine", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
                "2\r\n[]\r\n0\r\n\r\n"},
        Framing{"XchunkedWithContentLength", "Transfer-Encoding: xchunked\r\nContent-Length: 2\r\n", "[]"},
        Framing{"ContentLengthWithChunked", "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n",
                "2\r\n[]\r\n0\r\n\r\n"}),
    ByLabel());

TEST_F(HttpProtocol, AChunkedBodyIsStillRead) {
    auto socket = rawConnection();
    const auto response = exchange(socket,
                                   "POST /booking HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                                   "Transfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n");
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_NE(response.body().find("MALFORMED_JSON"), std::string::npos)
        << response.body();  // it got the body
    EXPECT_TRUE(response.keep_alive());
}

TEST_F(HttpProtocol, Http11WithoutHostIsRefused) {
    auto socket = rawConnection();
    const auto response = exchange(socket, "GET /healthz HTTP/1.1\r\n\r\n");
    EXPECT_EQ(response.result_int(), 400);
    EXPECT_NE(response.body().find("Host"), std::string::npos) << response.body();
    EXPECT_TRUE(closedByServer(socket));

    auto old = rawConnection();  // HTTP/1.0 has no Host requirement
    EXPECT_EQ(exchange(old, "GET /healthz HTTP/1.0\r\n\r\n").result_int(), 200);
}

TEST_F(HttpProtocol, ExpectContinueGets100BeforeTheBodyIsSent) {
    auto socket = rawConnection();
    const std::string body = bookingBody(myKadFor(700), "PWTC", "20210520");
    const auto interim = exchange(socket,
                                  "POST /booking HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                                  "Expect: 100-continue\r\nContent-Length: " +
                                      std::to_string(body.size()) + "\r\n\r\n");
    EXPECT_EQ(interim.result_int(), 100);
    const auto response = exchange(socket, body);
    EXPECT_EQ(response.result_int(), 200) << response.body();
}

TEST_F(HttpProtocol, ABodyThatStopsArrivingGets408) {
    auto socket = rawConnection();
    // READ_TIMEOUT_MS is 500 in this suite; 10 of the 100 bytes announced ever come.
    const auto response = exchange(socket,
                                   "POST /booking HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                                   "Content-Length: 100\r\n\r\n{\"name\":\"");
    EXPECT_EQ(response.result_int(), 408);
    EXPECT_NE(response.body().find("\"code\":\"REQUEST_TIMEOUT\""), std::string::npos) << response.body();
    EXPECT_TRUE(closedByServer(socket));
}

TEST_F(HttpProtocol, AnOversizedHeadGets431) {
    auto socket = rawConnection();
    const auto response = exchange(
        socket, "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Filler: " + std::string(9000, 'a') + "\r\n\r\n");
    EXPECT_EQ(response.result_int(), 431);
    EXPECT_NE(response.body().find("\"code\":\"HEADERS_TOO_LARGE\""), std::string::npos) << response.body();
    EXPECT_TRUE(closedByServer(socket));
}

TEST_F(HttpProtocol, ErrorMessagesNeverEchoRawBytes) {
    for (const std::string target : {"/stations/\xff\xfe", "/nowhere\xe2\x80\xae"}) {
        auto socket = rawConnection();
        const auto response = exchange(socket, "GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
        EXPECT_EQ(response.result_int(), 404);
        const std::string& text = response.body();
        // Escaped, the body is plain ASCII, hence valid UTF-8, and still valid JSON.
        EXPECT_TRUE(std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; }))
            << text;
        boost::system::error_code ec;
        const auto json = boost::json::parse(text, ec);
        ASSERT_FALSE(ec) << text;
        EXPECT_NE(std::string(json.at("message").as_string()).find("\\x"), std::string::npos) << text;
    }
    auto socket = rawConnection();
    const auto escaped = exchange(socket, "GET /stations/\xff\xfe HTTP/1.1\r\nHost: t\r\n\r\n");
    EXPECT_NE(escaped.body().find("\\\\xff\\\\xfe"), std::string::npos) << escaped.body();
}

TEST_F(HttpProtocol, EveryResponseSaysNosniff) {
    auto socket = rawConnection();
    const auto available = exchange(socket, "GET /stations/PWTC HTTP/1.1\r\nHost: t\r\n\r\n");
    ASSERT_EQ(available.result_int(), 200);
    const std::string etag(available[beast::http::field::etag]);
    std::vector<Reply> replies{
        available,
        exchange(socket, "GET /stations/PWTC HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + etag + "\r\n\r\n"),
        exchange(socket, "GET /locations HTTP/1.1\r\nHost: t\r\n\r\n"),
        exchange(socket, "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"),
        exchange(socket, "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n"),
        exchange(socket, "GARBAGE\r\n\r\n")};
    EXPECT_EQ(replies[1].result_int(), 304);
    for (const auto& reply : replies) {
        EXPECT_EQ(reply["X-Content-Type-Options"], "nosniff") << reply.result_int();
    }
}

}  // namespace
}  // namespace jkjav::testing
