// HTTP/1.1 behaviour over raw sockets: pipelining, slow and half-open clients, malformed requests.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

class HttpProtocol : public ServerSuite {
  protected:
    asio::ip::tcp::socket rawConnection() {
        asio::ip::tcp::socket socket(context_);
        socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port())});
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

    // Blocks until the server closes the connection; true when it did (end of stream).
    static bool closedByServer(asio::ip::tcp::socket& socket) {
        char byte;
        boost::system::error_code ec;
        socket.read_some(asio::buffer(&byte, 1), ec);
        return ec == asio::error::eof;
    }
    asio::io_context context_;
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

}  // namespace
}  // namespace jkjav::testing
