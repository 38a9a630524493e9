// Where jkjav-server finds its built page and docs (WEB_ROOT, or web/ beside the bin/ it runs from,
// as `make build` lays them out), loaded into memory once at start.
#pragma once

#include <string>
#include <variant>

#include "adapters/http/static_site.hpp"

namespace jkjav::cmd {

// `configured` empty: the default place, and no site (/ and /docs answer 404, with a warning) when
// nothing was built there. Set: that directory must hold the site; the error says why it does not.
std::variant<http::StaticSite, std::string> loadWebRoot(const std::string& configured);

}  // namespace jkjav::cmd
