// GET /healthz (the process answers) and /readyz (it should get traffic, or why not).
#include <boost/beast/http/field.hpp>

#include "adapters/http/endpoints/endpoints.hpp"
#include "adapters/http/responses.hpp"

namespace jkjav::http {

using boost::beast::http::field;
using boost::beast::http::status;

boost::asio::awaitable<Response> answerHealth(Endpoints&, const RouteRequest& route) {
    co_return jsonResponse(route.request.version(), status::ok, R"({"status":"OK"})");
}

// Not ready says why, so an operator (and a load balancer's log) sees the cause at once.
boost::asio::awaitable<Response> answerReadiness(Endpoints& endpoints, const RouteRequest& route) {
    const ServiceHealth& health = endpoints.health;
    const bool draining = health.draining.load(std::memory_order_relaxed);
    const app::CampaignStatus campaign = health.campaign.load(std::memory_order_relaxed);
    const bool storeUp = campaign != app::CampaignStatus::kUnknown;
    const bool open = campaign == app::CampaignStatus::kOpen;
    const bool majority = health.sentinelMajority.load(std::memory_order_relaxed);
    const bool ready = open && majority && !draining;  // as ServiceHealth::ready(), from the values above
    std::string_view reason;
    if (draining) {
        reason = "DRAINING";
    } else if (!majority) {
        reason = "NO_SENTINEL_MAJORITY";
    } else if (!storeUp) {
        reason = "STORE_DOWN";
    } else if (!open) {
        reason = app::toString(campaign);  // NOT_SEEDED, MARKER_LOST or OTHER_CAMPAIGN
    }
    std::string body = R"({"status":")";
    body += ready ? "READY" : "NOT_READY";
    if (!ready) {
        body += R"(","reason":")";
        body += reason;
    }
    body += R"(","store":")";
    body += storeUp ? "UP" : "DOWN";
    body += R"(","campaign":")";
    body += app::toString(campaign);
    body += R"(","draining":)";
    body += draining ? "true" : "false";
    const long long backlog = health.outboxBacklog.load(std::memory_order_relaxed);
    body += R"(,"outboxBacklog":)";
    body += backlog < 0 ? "null" : std::to_string(backlog);
    body += '}';
    Response response =
        jsonResponse(route.request.version(), ready ? status::ok : status::service_unavailable, body);
    response.set(field::cache_control, "no-store");
    co_return response;
}

}  // namespace jkjav::http
