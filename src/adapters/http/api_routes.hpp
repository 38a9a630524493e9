// The API's route table (api_routes.cpp).
#pragma once

#include <span>

#include "adapters/http/route_table.hpp"

namespace jkjav::http {

std::span<const Route> apiRoutes();

}  // namespace jkjav::http
