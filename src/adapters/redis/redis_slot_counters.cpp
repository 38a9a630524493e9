#include "adapters/redis/redis_slot_counters.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <vector>

namespace jkjav::embedded {
extern const std::string_view kSeedLua;
}

namespace jkjav::redis {

RedisSlotCounters::RedisSlotCounters(std::shared_ptr<RedisConnection> connection, RedisKeys keys)
    : connection_(std::move(connection)), keys_(std::move(keys)), seedScript_(embedded::kSeedLua) {}

boost::asio::awaitable<bool> RedisSlotCounters::seedMissing(const domain::Campaign& campaign) {
    std::vector<std::string> values;
    values.reserve(campaign.slotCount() * 2);
    for (const auto& location : campaign.locations()) {
        for (const auto& offer : location.offers) {
            values.push_back(domain::slotKey(location.code, offer.date));
            values.push_back(std::to_string(offer.capacity));
        }
    }
    std::vector<std::string_view> keysAndArgs{keys_.slots, keys_.capacity};
    keysAndArgs.insert(keysAndArgs.end(), values.begin(), values.end());
    const RedisResult result = co_await seedScript_.run(*connection_, 2, keysAndArgs);
    if (!result || result->view().isError()) {
        if (result) spdlog::error("seed.lua failed: {}", result->view().text());
        co_return false;
    }
    if (result->view().integer() > 0) {
        spdlog::info("seeded {} new slot counters of campaign '{}'", result->view().integer(),
                     campaign.name());
    }
    co_return true;
}

boost::asio::awaitable<std::optional<app::CounterTable>> RedisSlotCounters::readAll() {
    const std::array<std::string_view, 2> command{"HGETALL", keys_.slots};
    const RedisResult result = co_await connection_->executeArgv(command);
    if (!result || !result->view().isArray()) co_return std::nullopt;
    const ReplyView reply = result->view();
    app::CounterTable table;
    table.reserve(reply.size() / 2);
    for (std::size_t i = 0; i + 1 < reply.size(); i += 2) {
        if (auto value = reply[i + 1].asInteger()) table.emplace(std::string(reply[i].text()), *value);
    }
    co_return table;
}

}  // namespace jkjav::redis
