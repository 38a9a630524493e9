// base64url without padding (RFC 7515 section 2): JWT parts, JWK numbers and queue tickets' MACs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jkjav::text {

// nullopt for any character outside the base64url alphabet (padding '=' included: JWTs have none)
// or a length no encoding has (4n+1).
std::optional<std::string> decodeBase64Url(std::string_view text);

std::string encodeBase64Url(std::string_view bytes);

}  // namespace jkjav::text
