#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <cstdio>

namespace jkjav::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct HttpClient::Connection {
    asio::io_context context;
    beast::tcp_stream stream{context};
    beast::flat_buffer buffer;
};

boost::json::value HttpReply::json() const {
    boost::system::error_code ec;
    auto value = boost::json::parse(body, ec);
    return ec ? boost::json::value() : value;
}

std::string HttpReply::header(const std::string& lowerCaseName) const {
    const auto it = headers.find(lowerCaseName);
    return it == headers.end() ? std::string() : it->second;
}

namespace {

// Whether the server already closed this idle keep-alive connection (an EOF or reset waits on it),
// checked without blocking before a request is sent, so that requests after an idle pause go on a
// new connection instead of relying on a retry.
bool closedByPeer(beast::tcp_stream& stream) {
    auto& socket = stream.socket();
    boost::system::error_code ec;
    socket.non_blocking(true, ec);
    char byte = 0;
    socket.read_some(asio::buffer(&byte, 1), ec);
    const bool open = ec == asio::error::would_block;
    socket.non_blocking(false, ec);
    return !open;  // an EOF, a reset, or a stray byte the server sent with no request: start afresh
}

}  // namespace

HttpClient::HttpClient(int port) : port_(port) {}
HttpClient::~HttpClient() = default;

HttpReply HttpClient::get(const std::string& target, const std::map<std::string, std::string>& headers) {
    return request("GET", target, "", headers);
}

HttpReply HttpClient::postJson(const std::string& target, const std::string& body) {
    return request("POST", target, body, {{"Content-Type", "application/json"}});
}

HttpReply HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                              const std::map<std::string, std::string>& headers) {
    for (int attempt = 0; attempt < 2; ++attempt) {
        boost::system::error_code ec;
        if (connection_ && closedByPeer(connection_->stream)) connection_.reset();
        const bool reused = connection_ != nullptr;
        if (!connection_) {
            connection_ = std::make_unique<Connection>();
            connection_->stream.expires_after(std::chrono::seconds(5));
            connection_->stream.socket().connect(
                {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port_)}, ec);
            if (ec) {
                connection_.reset();
                return {};
            }
        }
        http::request<http::string_body> req{http::string_to_verb(method), target, 11};
        req.set(http::field::host, "127.0.0.1");
        for (const auto& [name, value] : headers) req.set(name, value);
        req.body() = body;
        if (!body.empty() || method == "POST") req.prepare_payload();
        req.keep_alive(true);

        connection_->stream.expires_after(std::chrono::seconds(15));
        http::write(connection_->stream, req, ec);
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        if (!ec) http::read(connection_->stream, connection_->buffer, parser, ec);
        if (ec) {
            connection_.reset();
            // Only a keep-alive connection the server had closed before this request (the idle
            // timeout) is retried, and only for a GET or HEAD that got no byte of an answer: a
            // server that drops a request, or a POST or DELETE that may have run, is never hidden.
            const bool idempotent = method == "GET" || method == "HEAD";
            const bool closed = ec == http::error::end_of_stream || ec == asio::error::eof ||
                                ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
            if (attempt == 0 && reused && idempotent && closed && !parser.got_some()) continue;
            return {};
        }
        auto& res = parser.get();
        HttpReply reply;
        reply.status = res.result_int();
        for (const auto& field : res) {
            std::string name(field.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            reply.headers[name] = std::string(field.value());
        }
        reply.body = std::move(res.body());
        if (!res.keep_alive()) connection_.reset();
        return reply;
    }
    return {};
}

std::string bookingBody(const std::string& id, const std::string& location, const std::string& date,
                        const std::string& phone) {
    const boost::json::object body{{"mysejahteraId", id},  {"firstName", "Siti"},
                                   {"lastName", "Aminah"}, {"address", "Jalan Ampang, Kuala Lumpur"},
                                   {"location", location}, {"phoneNumber", phone},
                                   {"date", date}};
    return boost::json::serialize(body);
}

std::string myKadFor(int n) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "500101%06d", n);
    return buffer;
}

}  // namespace jkjav::testing
