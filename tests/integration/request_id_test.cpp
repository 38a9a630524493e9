// X-Request-Id on every response: made by the server, unique, or kept from a trusted proxy (and
// only a sane one); and the server's log line about the request carries it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <fstream>
#include <regex>
#include <set>

#include "case_names.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Tcp = asio::ip::tcp;

const std::regex kSaneId("[A-Za-z0-9._-]{1,64}");

class RequestIds : public ServerSuite {
  protected:
    // 127.0.0.1 is the trusted proxy; 127.0.0.2, as local on Linux, is not.
    static void SetUpTestSuite() {
        startServers(kTestCampaign, std::map<std::string, std::string>{{"TRUSTED_PROXIES", "127.0.0.1"},
                                                                       {"LOG_LEVEL", "debug"}});
    }

    static std::string log() { return dir_->path() + "/server.log"; }

    // One request from `source` on a connection of its own; the response's X-Request-Id ("" if none).
    static std::string idFrom(const std::string& source, const std::string& target,
                              const std::string& sentId = "") {
        asio::io_context context;
        Tcp::socket socket(context);
        socket.open(Tcp::v4());
        socket.bind({asio::ip::make_address(source), 0});
        socket.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port())});
        std::string request = "GET " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n";
        if (!sentId.empty()) request += "X-Request-Id: " + sentId + "\r\n";
        request += "\r\n";
        asio::write(socket, asio::buffer(request));
        beast::flat_buffer buffer;
        beast::http::response_parser<beast::http::string_body> parser;
        beast::http::read(socket, buffer, parser);
        return std::string(parser.get()["X-Request-Id"]);
    }
};

struct Exchange {
    std::string name;
    std::string method;
    std::string target;
    std::string body;
    std::map<std::string, std::string> headers;
    int status;
};

void PrintTo(const Exchange& e, std::ostream* out) {
    *out << e.method << " " << e.target << " -> " << e.status;
}

class EveryResponse : public RequestIds, public ::testing::WithParamInterface<Exchange> {};

// Each kind of answer: the snapshot's prepared bytes, handlers, static routes, routing errors and
// the refusals written before a request is routed.
TEST_P(EveryResponse, CarriesAFreshSaneId) {
    const Exchange& exchange = GetParam();
    std::set<std::string> seen;
    for (int i = 0; i < 3; ++i) {
        HttpClient client(port());
        const auto reply = client.request(exchange.method, exchange.target, exchange.body, exchange.headers);
        ASSERT_EQ(reply.status, exchange.status) << reply.body;
        const std::string id = reply.header("x-request-id");
        EXPECT_TRUE(std::regex_match(id, kSaneId)) << "'" << id << "'";
        EXPECT_TRUE(seen.insert(id).second) << id << " answered twice";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Routes, EveryResponse,
    ::testing::Values(
        Exchange{"Snapshot", "GET", "/stations/PWTC", "", {}, 200},
        Exchange{"SnapshotNotModified", "GET", "/locations", "", {{"If-None-Match", "*"}}, 304},
        Exchange{"Health", "GET", "/healthz", "", {}, 200},
        Exchange{"Static", "GET", "/openapi.json", "", {}, 200},
        Exchange{"NotFound", "GET", "/nowhere", "", {}, 404},
        Exchange{"MethodNotAllowed", "DELETE", "/stations/PWTC", "", {}, 405},
        Exchange{"BadBody", "POST", "/booking", "{", {{"Content-Type", "application/json"}}, 400},
        Exchange{"PayloadTooLarge",
                 "POST",
                 "/booking",
                 std::string(9000, 'x'),
                 {{"Content-Type", "application/json"}},
                 413},
        Exchange{"HeadTooLarge", "GET", "/healthz", "", {{"X-Padding", std::string(9000, 'x')}}, 431}),
    ByLabel());

TEST_F(RequestIds, AreUniqueAcrossRequestsAndConnections) {
    std::set<std::string> seen;
    HttpClient keepAlive(port());
    for (int i = 0; i < 200; ++i) {
        // Half on one kept-alive connection, half on connections of their own.
        const HttpReply reply =
            i % 2 == 0 ? keepAlive.get("/stations/PWTC") : HttpClient(port()).get("/stations/PWTC");
        ASSERT_EQ(reply.status, 200);
        EXPECT_TRUE(seen.insert(reply.header("x-request-id")).second) << reply.header("x-request-id");
    }
}

TEST_F(RequestIds, ATrustedProxysIdIsKept) {
    EXPECT_EQ(idFrom("127.0.0.1", "/stations/PWTC", "edge-1.A_b"), "edge-1.A_b");
    EXPECT_EQ(idFrom("127.0.0.1", "/healthz", "edge-2"), "edge-2");
    const std::string longest(64, 'z');
    EXPECT_EQ(idFrom("127.0.0.1", "/nowhere", longest), longest);
}

struct Insane {
    std::string name;
    std::string id;
};

void PrintTo(const Insane& c, std::ostream* out) { *out << "'" << c.id << "'"; }

class InsaneIds : public RequestIds, public ::testing::WithParamInterface<Insane> {};

TEST_P(InsaneIds, AreReplacedEvenFromATrustedProxy) {
    const std::string id = idFrom("127.0.0.1", "/stations/PWTC", GetParam().id);
    EXPECT_NE(id, GetParam().id);
    EXPECT_TRUE(std::regex_match(id, kSaneId)) << id;
}

INSTANTIATE_TEST_SUITE_P(Values, InsaneIds,
                         ::testing::Values(Insane{"TooLong", std::string(65, 'a')}, Insane{"Space", "a b"},
                                           Insane{"Markup", "<script>"}, Insane{"Quote", "a\"b"},
                                           Insane{"Slash", "a/b"}),
                         ByLabel());

TEST_F(RequestIds, AnUntrustedPeersIdIsReplaced) {
    const std::string id = idFrom("127.0.0.2", "/stations/PWTC", "spoofed-id");
    EXPECT_NE(id, "spoofed-id");
    EXPECT_TRUE(std::regex_match(id, kSaneId)) << id;
}

TEST_F(RequestIds, TheRequestsLogLineCarriesIt) {
    HttpClient client(port());
    const auto reply = client.request("GET", "/stations/PWTC", "", {{"X-Request-Id", "find-me-in-the-log"}});
    ASSERT_EQ(reply.status, 200);
    const auto made = client.get("/healthz").header("x-request-id");
    auto logHas = [](const std::string& text) {
        std::ifstream file(log());
        for (std::string line; std::getline(file, line);) {
            if (line.find(text) != std::string::npos && line.find("status=200") != std::string::npos)
                return true;
        }
        return false;
    };
    EXPECT_TRUE(eventually([&] { return logHas("[req=find-me-in-the-log]"); }));
    EXPECT_TRUE(eventually([&] { return logHas("[req=" + made + "]"); })) << made;
}

}  // namespace
}  // namespace jkjav::testing
