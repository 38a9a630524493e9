#include "adapters/http/buffered_request.hpp"

#include <boost/beast/http/error.hpp>

namespace jkjav::http {
namespace {

using boost::beast::http::error;
using boost::system::error_code;

// Feeds `parser` from `buffer` until `done()`, consuming what it used: need_more when the buffer
// runs out first (or holds too little for the parser's next step), else the parser's own verdict.
template <typename Done>
error_code putUntil(RequestParser& parser, boost::beast::flat_buffer& buffer, Done done) {
    error_code ec;
    while (!done()) {
        if (buffer.size() == 0) return error::need_more;
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec) return ec;
        if (used == 0) return error::need_more;
    }
    return {};
}

}  // namespace

error_code parseBufferedHead(RequestParser& parser, boost::beast::flat_buffer& buffer) {
    parser.eager(false);  // stop after the head, as Beast's read_header does
    return putUntil(parser, buffer, [&parser] { return parser.is_header_done(); });
}

error_code parseBufferedBody(RequestParser& parser, boost::beast::flat_buffer& buffer) {
    parser.eager(true);  // the whole body as far as it is here, as Beast's read does
    return putUntil(parser, buffer, [&parser] { return parser.is_done(); });
}

}  // namespace jkjav::http
