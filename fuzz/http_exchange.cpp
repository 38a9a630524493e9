#include "http_exchange.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>

#include "run_awaitable.hpp"

namespace jkjav::fuzz {

namespace beast = boost::beast;
using boost::system::error_code;

namespace {

// As the session decides it: the client sent something that is not HTTP/1.1.
bool isMalformedHttp(const error_code& ec) {
    using beast::http::error;
    return ec.category() == beast::http::make_error_code(error::bad_target).category() &&
           ec != error::end_of_stream && ec != error::partial_message;
}

Answer fromResponse(const http::Response& response) {
    return {{},
            response.result_int(),
            std::string(response[beast::http::field::content_type]),
            response.body(),
            false};
}

}  // namespace

std::vector<Answer> answerConnection(http::ApiHandler& api, std::string_view bytes, ParserLimits limits) {
    std::vector<Answer> answers;
    while (!bytes.empty()) {
        beast::http::request_parser<beast::http::string_body> parser;
        parser.body_limit(limits.bodyLimit);
        parser.header_limit(limits.headerLimit);
        error_code ec;
        while (!parser.is_done()) {
            const std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
            bytes.remove_prefix(used);
            if (ec == beast::http::error::need_more) ec = {};
            if (ec) break;
            if (used == 0) {  // everything the client sent is in: the connection ends here
                parser.put_eof(ec);
                if (!ec && !parser.is_done()) ec = beast::http::error::partial_message;
                break;
            }
        }
        if (ec == beast::http::error::body_limit) {
            answers.push_back(fromResponse(http::ApiHandler::errorResponse(
                11, http::HttpRefusal::kPayloadTooLarge, "The body is larger than the limit.")));
            break;
        }
        if (isMalformedHttp(ec)) {
            answers.push_back(fromResponse(
                http::ApiHandler::errorResponse(11, http::HttpRefusal::kBadFraming,
                                                "The request is not valid HTTP/1.1: " + ec.message() + ".")));
            break;
        }
        if (ec) break;  // the connection ended mid-request: nobody to answer

        const http::Request& request = parser.get();
        if (auto prepared = api.answerFromSnapshot(request)) {
            answers.push_back({std::string(request.target()), prepared->notModified ? 304u : 200u,
                               "application/json",
                               prepared->notModified ? std::string() : prepared->prepared->body, true});
        } else {
            answers.push_back(fromResponse(
                testing::runAwaitable(api.handle(request, boost::asio::ip::make_address_v4("192.0.2.1")))));
            answers.back().target = request.target();
        }
        if (!request.keep_alive()) break;
    }
    return answers;
}

}  // namespace jkjav::fuzz
