#include "adapters/redis/redis_slot_counters.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <vector>

#include "domain/person_id.hpp"

namespace jkjav::embedded {
extern const std::string_view kSeedLua;
extern const std::string_view kReadLua;
}  // namespace jkjav::embedded

namespace jkjav::redis {

namespace {

app::SeedOutcome seedOutcomeFromText(std::string_view text) {
    if (text == "SEEDED") return app::SeedOutcome::kSeeded;
    if (text == "ALREADY_SEEDED") return app::SeedOutcome::kAlreadySeeded;
    if (text == "ADOPTED") return app::SeedOutcome::kAdopted;
    if (text == "OTHER_CAMPAIGN") return app::SeedOutcome::kOtherCampaign;
    if (text == "STARTED_ELSEWHERE") return app::SeedOutcome::kStartedElsewhere;
    return app::SeedOutcome::kUnavailable;
}

}  // namespace

RedisSlotCounters::RedisSlotCounters(std::shared_ptr<RedisConnection> connection, RedisKeys keys)
    : connection_(std::move(connection)),
      keys_(std::move(keys)),
      readScript_(embedded::kReadLua),
      seedScript_(embedded::kSeedLua) {}

boost::asio::awaitable<std::optional<app::CounterRead>> RedisSlotCounters::readAll() {
    const std::array<std::string_view, 2> keys{keys_.campaign, keys_.slots};
    const RedisResult result = co_await readScript_.run(*connection_, 2, keys);
    if (!result || !result->view().isArray() || result->view().size() != 2) {
        if (result && result->view().isError()) spdlog::error("read.lua failed: {}", result->view().text());
        co_return std::nullopt;
    }
    const ReplyView marker = result->view()[0];
    const ReplyView counters = result->view()[1];
    app::CounterRead read;
    if (marker.size() == 3 && marker[0].isString() && marker[1].isString()) {
        read.marker = app::CampaignMarker{std::string(marker[0].text()), std::string(marker[1].text()),
                                          std::string(marker[2].text())};
    }
    read.counters.reserve(counters.size() / 2);
    for (std::size_t i = 0; i + 1 < counters.size(); i += 2) {
        if (auto value = counters[i + 1].asInteger())
            read.counters.emplace(std::string(counters[i].text()), *value);
    }
    co_return read;
}

boost::asio::awaitable<app::SeedResult> RedisSlotCounters::seed(const domain::Campaign& campaign,
                                                                const app::SeedRequest& request) {
    std::vector<std::string> values;
    values.reserve(campaign.slotCount() * 2);
    for (const auto& location : campaign.locations()) {
        for (const auto& offer : location.offers) {
            values.push_back(domain::slotKey(location.code, offer.date));
            values.push_back(std::to_string(offer.capacity));
        }
    }
    std::vector<std::string_view> keysAndArgs{keys_.slots,
                                              keys_.capacity,
                                              keys_.campaign,
                                              request.marker.campaignId,
                                              request.marker.epoch,
                                              request.marker.seededAt,
                                              request.forceReseed ? "1" : "0",
                                              request.startedElsewhere ? "1" : "0"};
    keysAndArgs.insert(keysAndArgs.end(), values.begin(), values.end());
    const RedisResult result = co_await seedScript_.run(*connection_, 3, keysAndArgs);
    if (!result || result->view().isError() || result->view().size() < 5) {
        if (result) spdlog::error("seed.lua failed: {}", domain::maskPersonalInText(result->view().text()));
        co_return app::SeedResult{};
    }
    const ReplyView reply = result->view();
    app::SeedResult seeded{
        seedOutcomeFromText(reply[0].text()),
        {std::string(reply[1].text()), std::string(reply[2].text()), std::string(reply[3].text())},
        reply[4].integer(),
        {}};
    for (std::size_t i = 5; i < reply.size(); ++i) seeded.createdSlots.emplace_back(reply[i].text());
    co_return seeded;
}

}  // namespace jkjav::redis
