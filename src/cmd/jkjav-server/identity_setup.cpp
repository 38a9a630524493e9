#include "identity_setup.hpp"

#include <spdlog/spdlog.h>

#include "adapters/identity/identity_keys.hpp"
#include "adapters/identity/jwt_identity_verifier.hpp"

namespace jkjav::cmd {

std::variant<std::unique_ptr<app::IdentityVerifier>, std::string> buildIdentityVerifier(
    const ServerConfig& config, const app::Clock& clock) {
    if (config.identityJwksFile.empty() && config.identityPublicKeyFile.empty()) {
        spdlog::warn(
            "no IDENTITY_JWKS_FILE or IDENTITY_PUBLIC_KEY_FILE: bookings are taken for any mysejahteraId "
            "without proof of identity");
        return std::make_unique<app::NoIdentityCheck>();
    }
    const bool jwks = !config.identityJwksFile.empty();
    auto loaded = jwks ? identity::loadJwksFile(config.identityJwksFile)
                       : identity::loadPublicKeyFile(config.identityPublicKeyFile);
    if (auto* error = std::get_if<identity::KeyError>(&loaded)) {
        return std::string(jwks ? "--identity-jwks-file/IDENTITY_JWKS_FILE: "
                                : "--identity-public-key-file/IDENTITY_PUBLIC_KEY_FILE: ") +
               error->message;
    }
    auto& keys = std::get<identity::KeySet>(loaded);
    spdlog::info("identity: bearer tokens required, {} key(s) ({} skipped), issuer '{}', audience '{}'",
                 keys.keys.size(), keys.skipped, config.identityIssuer, config.identityAudience);
    return std::make_unique<identity::JwtIdentityVerifier>(
        std::move(keys), identity::IdentitySettings{config.identityIssuer, config.identityAudience}, clock);
}

}  // namespace jkjav::cmd
