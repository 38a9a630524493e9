#include "adapters/queue/queue_figures_reply.hpp"

#include <cstdlib>
#include <string>

#include "adapters/redis/redis_record.hpp"

namespace jkjav::queue {

using redis::ReplyView;
using redis::valueNamed;

namespace {

std::int64_t integerNamed(ReplyView reply, std::string_view name) {
    return valueNamed(reply, name).asInteger().value_or(0);
}

}  // namespace

std::optional<double> operatorRateIn(ReplyView reply) {
    const std::string_view text = valueNamed(reply, "operatorRate").text();
    if (text.empty()) return std::nullopt;
    const double rate = std::strtod(std::string(text).c_str(), nullptr);
    return rate > 0 ? std::optional<double>(rate) : std::nullopt;
}

app::QueueFigures queueFiguresFrom(ReplyView reply, double campaignRate) {
    return {.nowMs = integerNamed(reply, "now"),
            .admittedUpTo = integerNamed(reply, "admittedUpTo"),
            .length = integerNamed(reply, "length"),
            .preQueued = integerNamed(reply, "preQueued"),
            .outstanding = integerNamed(reply, "outstanding"),
            .remaining = integerNamed(reply, "remaining"),
            .admittedTotal = integerNamed(reply, "admittedTotal"),
            .expiredTotal = integerNamed(reply, "expiredTotal"),
            .paused = integerNamed(reply, "paused") == 1,
            .admitPerSecond = operatorRateIn(reply).value_or(campaignRate)};
}

}  // namespace jkjav::queue
