// Bytes on a connection -> the session's parser -> route -> ApiHandler with in-memory ports ->
// responses. Promises: nothing throws out, never a 500, every body is valid UTF-8 JSON, and every
// error (>= 400) carries a machine-readable `code`.
#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <cstdint>
#include <memory>

#include "adapters/config/campaign_file.hpp"
#include "adapters/http/api_handler.hpp"
#include "adapters/http/availability_snapshot.hpp"
#include "adapters/http/client_rate_limits.hpp"
#include "app/availability_service.hpp"
#include "app/booking_service.hpp"
#include "app/lookup_guard.hpp"
#include "fake_ports.hpp"
#include "fuzz_invariants.hpp"
#include "http_exchange.hpp"
#include "run_awaitable.hpp"

namespace jkjav::embedded {
extern const std::string_view kOpenApiJson;
}

namespace {

using namespace jkjav;

// Small on purpose: one seat at SMALL makes FULL and the waitlist reachable in one input.
constexpr std::string_view kCampaign = R"({
  "name": "fuzz",
  "eligibility": {"minAgeYears": 18, "referenceDate": "20210601"},
  "states": [{"key": "kl", "name": "Kuala Lumpur"}],
  "locations": [
    {"code": "PWTC", "name": "PWTC", "state": "kl", "dates": {"from": "20210607", "to": "20210609"},
     "capacityPerDay": 100},
    {"code": "SMALL", "state": "kl", "dates": [{"date": "2021-06-07", "capacity": 1}]}
  ]
})";

const domain::Campaign& campaign() {
    static const domain::Campaign parsed = std::get<domain::Campaign>(config::parseCampaign(kCampaign));
    return parsed;
}

app::SeedRequest seedRequest() { return {{"fuzz", "1", "2021-06-01T00:00:00Z"}, false}; }

// The availability a running server would have published: taken once, from a freshly seeded store.
std::shared_ptr<const http::AvailabilitySnapshot> snapshot() {
    static const auto taken = [&] {
        fuzz::InMemorySlotCounters counters;
        const fuzz::FixedClock clock;
        testing::runAwaitable(counters.seed(campaign(), seedRequest()));
        app::AvailabilityService availability(campaign(), counters, clock);
        const auto refresh = testing::runAwaitable(availability.refresh());
        return http::AvailabilitySnapshot::build(*refresh.view, campaign(), std::chrono::steady_clock::now());
    }();
    return taken;
}

void checkAnswer(const fuzz::Answer& answer) {
    if (std::getenv("FUZZ_VERBOSE"))
        std::fprintf(stderr, "%u %s %s\n", answer.status, answer.target.c_str(), answer.body.c_str());
    fuzz::require(answer.status != 500, "never a 500");
    if (answer.body.empty()) {
        fuzz::require(answer.status < 400, "every error has a body");
        return;
    }
    fuzz::require(answer.contentType == "application/json", "every body is JSON");
    if (answer.body == embedded::kOpenApiJson) return;  // checked by the contract test, and large
    boost::system::error_code ec;
    const auto document = boost::json::parse(answer.body, ec);  // also refuses invalid UTF-8
    fuzz::require(!ec, "every body is valid UTF-8 JSON");
    // /readyz's 503 is a report, not a refusal: its machine-readable word is `reason`.
    if (answer.status < 400 || answer.target.starts_with("/readyz")) return;
    const auto* object = document.if_object();
    fuzz::require(object != nullptr, "an error body is an object");
    const auto* code = object->if_contains("code");
    fuzz::require(code != nullptr && code->is_string() && !code->get_string().empty(),
                  "an error body has a code");
}

// One connection to a server in the given state, with a store of its own.
void answerOn(std::string_view bytes, bool warm) {
    fuzz::InMemorySlotCounters counters;
    fuzz::InMemoryOutbox outbox;
    fuzz::InMemoryBookingStore store(counters, outbox);
    const fuzz::FixedClock clock;
    http::SnapshotSlot snapshots;
    http::ServiceHealth health;
    if (warm) {
        testing::runAwaitable(counters.seed(campaign(), seedRequest()));
        snapshots.replace(snapshot());
        health.campaign = app::CampaignStatus::kOpen;
        health.outboxBacklog = 0;
    }
    app::BookingService bookings(campaign(), store, clock);
    fuzz::InMemoryLookupFailures failures;
    app::LookupGuard lookups(bookings, failures, app::LookupLockPolicy{});
    // Limits off: each enabled limit is a 1.5 MiB table written at construction, which would cut
    // this target to ~100 runs a second; the limiter's decisions have unit tests of their own.
    http::ClientRateLimits rateLimits(http::TrustedProxies{}, {});
    http::ApiHandler api(campaign(), bookings, lookups, rateLimits, snapshots, health, std::chrono::hours(1));
    for (const auto& answer : fuzz::answerConnection(api, bytes)) checkAnswer(answer);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = [] {
        spdlog::set_level(spdlog::level::off);
        return true;
    }();
    (void)quiet;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    answerOn(bytes, true);   // a running server with a snapshot and an open campaign
    answerOn(bytes, false);  // one that has not reached Redis yet
    return 0;
}
