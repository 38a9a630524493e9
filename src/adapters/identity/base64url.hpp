// base64url without padding (RFC 7515 section 2), the encoding of every JWT part and JWK number.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jkjav::identity {

// nullopt for any character outside the base64url alphabet (padding '=' included: JWTs have none)
// or a length no encoding has (4n+1).
std::optional<std::string> decodeBase64Url(std::string_view text);

std::string encodeBase64Url(std::string_view bytes);

}  // namespace jkjav::identity
