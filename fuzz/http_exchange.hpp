// What a client sees on one connection: its bytes split into requests by a parser set up like the
// session's (src/adapters/http/http_server.cpp), each answered by ApiHandler, in order, until the
// session would close. The socket and timers are left out; everything between bytes and response
// is the production code.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/api_handler.hpp"

namespace jkjav::fuzz {

struct Answer {
    std::string target;  // of the request answered; empty for a framing error
    unsigned status = 0;
    std::string contentType;
    std::string body;
    bool fromSnapshot = false;  // answered by answerFromSnapshot(), the hot path
};

struct ParserLimits {  // the session's defaults (HttpLimits)
    std::size_t bodyLimit = 8 * 1024;
    std::uint32_t headerLimit = 8 * 1024;
};

// Every answer the session would write for `bytes`, received at once on one connection.
// Exceptions from the handler are not caught: the session would answer 500 for them, a bug.
std::vector<Answer> answerConnection(http::ApiHandler& api, std::string_view bytes, ParserLimits limits = {});

}  // namespace jkjav::fuzz
