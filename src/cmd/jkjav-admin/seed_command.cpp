#include "seed_command.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <optional>
#include <thread>

#include "adapters/config/campaign_file.hpp"
#include "adapters/kafka/kafka_topic_probe.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_record.hpp"
#include "adapters/redis/redis_slot_counters.hpp"
#include "app/booking_service.hpp"
#include "domain/booking_reference.hpp"

namespace jkjav::cmd {

namespace asio = boost::asio;

namespace {

// Runs the seed script once on a private io_context, bounded by the connection's own timeouts.
std::optional<app::SeedResult> runSeed(const redis::RedisEndpoint& endpoint, const domain::Campaign& campaign,
                                       const app::SeedRequest& request) {
    // The connection's own info and warning lines (connected; lost on the stop below) would only
    // blur the command's answer: Redis was reached already (AdminSession), and failures are printed.
    spdlog::set_level(spdlog::level::err);
    asio::io_context context;
    auto connection = redis::RedisConnection::create(context.get_executor(), endpoint);
    connection->start();
    redis::RedisSlotCounters counters(connection, redis::RedisKeys());
    std::optional<app::SeedResult> result;
    asio::co_spawn(
        context,
        [&]() -> asio::awaitable<void> {
            // The connection fails fast while it is still connecting: give it a few bounded tries.
            for (int attempt = 0; attempt < 50; ++attempt) {
                app::SeedResult seeded = co_await counters.seed(campaign, request);
                if (seeded.outcome != app::SeedOutcome::kUnavailable) {
                    result = seeded;
                    break;
                }
                asio::steady_timer pause(context, std::chrono::milliseconds(100));
                co_await pause.async_wait(asio::use_awaitable);
            }
            connection->stop();
        },
        asio::detached);
    context.run();
    return result;
}

// Every slot the campaign offers: created now (with the capacity given) or found and left alone
// (with what it holds now, which seeding never changes).
int printCounters(AdminSession& session, const domain::Campaign& campaign,
                  const std::vector<std::string>& created) {
    const redis::RedisKeys keys;
    const auto counters = session.command({"HGETALL", keys.slots});
    if (!counters) {
        std::fprintf(stderr,
                     "jkjav-admin seed: seeded, but Redis stopped answering before the counters were read\n");
        return 1;
    }
    std::string added;
    std::string kept;
    char line[160];
    for (const auto& location : campaign.locations()) {
        for (const auto& offer : location.offers) {
            const std::string slot = domain::slotKey(location.code, offer.date);
            if (std::find(created.begin(), created.end(), slot) != created.end()) {
                std::snprintf(line, sizeof line, "  %-12s %s  capacity %lld\n", location.code.c_str(),
                              offer.date.compact().c_str(), static_cast<long long>(offer.capacity));
                added += line;
            } else {
                const auto remaining = redis::valueNamed(counters->view(), slot).asInteger();
                std::snprintf(line, sizeof line,
                              "  %-12s %s  remaining %lld (campaign file: capacity %lld)\n",
                              location.code.c_str(), offer.date.compact().c_str(), remaining.value_or(0),
                              static_cast<long long>(offer.capacity));
                kept += line;
            }
        }
    }
    std::printf("added (counter created with the file's capacity): %zu\n%s", created.size(), added.c_str());
    std::printf("left as they were (already present, never overwritten): %zu\n%s",
                campaign.slotCount() - created.size(), kept.c_str());
    return 0;
}

}  // namespace

int seedCampaign(const redis::RedisEndpoint& endpoint, AdminSession& session, const SeedOptions& options) {
    auto loaded = config::loadCampaignFile(options.campaignFile);
    if (auto* error = std::get_if<config::CampaignFileError>(&loaded)) {
        std::fprintf(stderr, "jkjav-admin seed: %s\n", error->message.c_str());
        return 1;
    }
    const auto& campaign = std::get<domain::Campaign>(loaded);
    std::int64_t publishedEvents = 0;
    if (!options.kafkaBrokers.empty() && !options.forceReseed) {
        auto counted =
            kafka::countTopicMessages(options.kafkaBrokers, options.kafkaTopic, std::chrono::seconds(10));
        if (auto* error = std::get_if<std::string>(&counted)) {
            std::fprintf(stderr,
                         "jkjav-admin seed: cannot check Kafka for events of a started campaign: %s\n",
                         error->c_str());
            return 1;
        }
        publishedEvents = std::get<std::int64_t>(counted);
    }
    const auto now = std::chrono::system_clock::now();
    const app::SeedRequest request{{campaign.name(), domain::referenceEpoch(now), app::formatRfc3339(now)},
                                   options.forceReseed,
                                   publishedEvents > 0};
    if (options.forceReseed) {
        std::fprintf(stderr,
                     "jkjav-admin seed: WARNING: --force-reseed opens campaign '%s' again whatever Redis "
                     "holds. Every slot without a counter gets its full capacity: if Redis lost its data, "
                     "seats already sold are sold again and people who hold a booking can book a second "
                     "one. Prefer restoring Redis from its AOF or replica.\n",
                     campaign.name().c_str());
    }

    const auto result = runSeed(endpoint, campaign, request);
    // A new epoch is this seeding's second: hold that second so that no later seeding (after a
    // wipe, say) can share it and so repeat references. Nothing to hold when the epoch was kept.
    if (result && result->marker.epoch == request.marker.epoch) {
        std::this_thread::sleep_until(std::chrono::floor<std::chrono::seconds>(now) +
                                      std::chrono::seconds(1));
    }
    if (!result) {
        std::fprintf(stderr, "jkjav-admin seed: Redis at %s:%u did not answer\n", endpoint.host.c_str(),
                     static_cast<unsigned>(endpoint.port));
        return 1;
    }
    const auto& marker = result->marker;
    switch (result->outcome) {
        case app::SeedOutcome::kSeeded:
            std::printf("seeded campaign '%s': %lld slot counters, epoch %s, at %s\n",
                        marker.campaignId.c_str(), static_cast<long long>(result->countersCreated),
                        marker.epoch.c_str(), marker.seededAt.c_str());
            return printCounters(session, campaign, result->createdSlots);
        case app::SeedOutcome::kAlreadySeeded:
            std::printf(
                "campaign '%s' was already seeded (epoch %s, at %s); counters created for new dates: %lld\n",
                marker.campaignId.c_str(), marker.epoch.c_str(), marker.seededAt.c_str(),
                static_cast<long long>(result->countersCreated));
            return printCounters(session, campaign, result->createdSlots);
        case app::SeedOutcome::kAdopted:
            std::printf("campaign '%s': existing counters kept and marked (epoch %s); created: %lld\n",
                        marker.campaignId.c_str(), marker.epoch.c_str(),
                        static_cast<long long>(result->countersCreated));
            return printCounters(session, campaign, result->createdSlots);
        case app::SeedOutcome::kOtherCampaign:
            std::fprintf(stderr,
                         "jkjav-admin seed: refused: Redis holds campaign '%s' (seeded %s), not '%s'. Use a "
                         "Redis of its own (or --force-reseed if you mean to replace it).\n",
                         marker.campaignId.c_str(), marker.seededAt.c_str(), campaign.name().c_str());
            return 3;
        case app::SeedOutcome::kStartedElsewhere:
            std::fprintf(
                stderr,
                "jkjav-admin seed: refused: Kafka topic '%s' holds %lld booking events but Redis has "
                "no campaign marker: Redis lost its data. Restore it from its AOF or replica; "
                "--force-reseed reopens the campaign anyway (read its warning first).\n",
                options.kafkaTopic.c_str(), static_cast<long long>(publishedEvents));
            return 3;
        case app::SeedOutcome::kUnavailable:
            break;
    }
    std::fprintf(stderr, "jkjav-admin seed: the seed script failed (see above)\n");
    return 1;
}

}  // namespace jkjav::cmd
