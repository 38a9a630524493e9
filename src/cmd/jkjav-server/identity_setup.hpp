// The IdentityVerifier the settings ask for: JWTs checked against the identity provider's keys,
// read once here, or NoIdentityCheck when no key is configured.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "app/ports/clock.hpp"
#include "app/ports/identity_verifier.hpp"
#include "server_config.hpp"

namespace jkjav::cmd {

// The verifier, or why the server must not start (an unreadable or invalid key file).
std::variant<std::unique_ptr<app::IdentityVerifier>, std::string> buildIdentityVerifier(
    const ServerConfig& config, const app::Clock& clock);

}  // namespace jkjav::cmd
