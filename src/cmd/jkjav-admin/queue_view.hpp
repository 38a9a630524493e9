// `jkjav-admin queue status`: the waiting room's figures, as a table or JSON. Pure, so its unit test
// needs no Redis: the command reads the figures (place.lua's, the ones the servers read) and the
// campaign's queue settings, this turns them into what the operator sees.
#pragma once

#include <optional>
#include <string>

#include "app/ports/queue_store.hpp"
#include "domain/queue_rules.hpp"

namespace jkjav::cmd {

struct QueueStatus {
    std::string state;  // "prequeue" (before opensAt), "open", or "closed" (nothing remains)
    bool paused = false;
    double configuredRate = 0;           // the campaign file's admitPerSecond (or its default)
    std::optional<double> operatorRate;  // set with `queue set-rate`
    double effectiveRate = 0;            // what admission runs at when not paused
    app::QueueFigures figures;
    std::int64_t cap = 0;  // floor(remaining x overAdmitFactor)
    double overAdmitFactor = 0;
    std::int64_t opensAtMs = 0;
    std::int64_t preQueueOpensAtMs = 0;
};

QueueStatus queueStatus(const app::QueueFigures& figures, std::optional<double> operatorRate,
                        const domain::QueueSettings& settings);
std::string queueStatusText(const QueueStatus& status);
std::string queueStatusJson(const QueueStatus& status);

}  // namespace jkjav::cmd
