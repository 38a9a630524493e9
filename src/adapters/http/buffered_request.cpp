#include "adapters/http/buffered_request.hpp"

#include <boost/beast/http/error.hpp>

namespace jkjav::http {

using boost::system::error_code;
using boost::beast::http::error;

error_code parseBufferedHead(RequestParser& parser, boost::beast::flat_buffer& buffer) {
    parser.eager(false);  // stop after the head, as Beast's read_header does
    error_code ec;
    while (!parser.is_header_done()) {
        if (buffer.size() == 0) return error::need_more;
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec) return ec;
        if (used == 0) return error::need_more;  // the parser wants more than is here
    }
    return {};
}

error_code parseBufferedBody(RequestParser& parser, boost::beast::flat_buffer& buffer) {
    parser.eager(true);  // the whole body as far as it is here, as Beast's read does
    error_code ec;
    while (!parser.is_done()) {
        if (buffer.size() == 0) return error::need_more;
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec) return ec;
        if (used == 0) return error::need_more;  // the parser wants more than is here
    }
    return {};
}

}  // namespace jkjav::http
