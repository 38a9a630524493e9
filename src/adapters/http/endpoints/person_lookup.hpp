// The two credentials of the lookup endpoints (/booking/{id}, /waitlist/{id}): the person's id
// from the path and the phone number from the query, as the client wrote them.
#pragma once

#include <string>

#include "adapters/http/route_table.hpp"

namespace jkjav::http {

struct PersonLookup {
    std::string personId;     // unescaped (%2D for '-'); an invalid escape is left for validation
    std::string phoneNumber;  // '+' taken literally, not as a space
};

PersonLookup personLookupOf(const RouteRequest& route);

}  // namespace jkjav::http
