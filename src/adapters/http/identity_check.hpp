// The identity check of every endpoint that acts for one person (POST /booking, the waitlist, and
// POST /queue): `Authorization: Bearer <JWT>` against the IdentityVerifier, or a 401.
#pragma once

#include <optional>
#include <string_view>

#include "adapters/http/error_response.hpp"
#include "adapters/http/http_types.hpp"
#include "app/ports/identity_verifier.hpp"

namespace jkjav::http {

// UNAUTHENTICATED (no token, or one that proves nothing) or IDENTITY_MISMATCH (a valid token for
// someone else), both 401.
WireError wireError(app::IdentityFailure failure);

// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive); empty when
// there is no such header.
std::string_view bearerToken(const Request& request);

// nullopt: the request may act for `personId` (always so without an identity provider). Otherwise
// the 401 to answer, with `WWW-Authenticate: Bearer` (RFC 6750) and a message saying what failed.
std::optional<Response> refuseUnidentified(const app::IdentityVerifier& identity, const Request& request,
                                           std::string_view personId);

}  // namespace jkjav::http
