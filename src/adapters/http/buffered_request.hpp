// Parsing what a connection has already read, without I/O. Nearly every request arrives whole in
// the session's first read; parsing it here spares the asynchronous read, with its deadline timer
// and its completion through the event loop, that Beast's async_read would cost even with nothing
// left to read.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

namespace jkjav::http {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// The request head from `buffer` into `parser`, consuming what it used. `need_more` when the head is
// not all there yet (the caller reads on); any other error is the parser's verdict on the bytes,
// exactly as Beast's own read would have returned it.
boost::system::error_code parseBufferedHead(RequestParser& parser, boost::beast::flat_buffer& buffer);

// After the head: as much of the body as `buffer` holds. `need_more` when the body is not all there;
// bytes past this request's end (a pipelined next request) stay in `buffer`.
boost::system::error_code parseBufferedBody(RequestParser& parser, boost::beast::flat_buffer& buffer);

}  // namespace jkjav::http
