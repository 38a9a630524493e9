// The waiting room's figures as queue_common.lua's figures() answers them (a flat name/value list):
// read in one place for the servers' store and for jkjav-admin queue status.
#pragma once

#include <optional>

#include "adapters/redis/redis_reply.hpp"
#include "app/ports/queue_store.hpp"

namespace jkjav::queue {

// The rate an operator set (jkjav-admin queue set-rate), if any.
std::optional<double> operatorRateIn(redis::ReplyView reply);

// The figures; admitPerSecond is the operator's rate when set, else `campaignRate`.
app::QueueFigures queueFiguresFrom(redis::ReplyView reply, double campaignRate);

}  // namespace jkjav::queue
