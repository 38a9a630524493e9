// The API's route table (api_routes.cpp).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "adapters/http/route_table.hpp"

namespace jkjav::http {

std::span<const Route> apiRoutes();
// The `route` label of each route, in the table's order, then "unmatched" for paths no route has.
std::vector<std::string> routeLabels();

}  // namespace jkjav::http
