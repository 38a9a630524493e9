// `jkjav-admin seed`: the one way a campaign is opened for bookings (servers never seed).
#pragma once

#include <string>

#include "adapters/redis/redis_endpoint.hpp"
#include "admin_session.hpp"

namespace jkjav::cmd {

struct SeedOptions {
    std::string campaignFile;
    bool forceReseed = false;
    // With brokers, a Redis without the campaign is not seeded while the topic holds events.
    std::string kafkaBrokers;
    std::string kafkaTopic = "booking-slot";
};

// Prints what it did: the counters it created (with their capacity) and those it found and left
// as they were (with what remains). The process exit code: 0 seeded (or already), 1 Redis or file trouble,
// 3 refused without --force-reseed (another campaign's marker, or Kafka holds events of a
// campaign that Redis does not have: Redis lost its data).
int seedCampaign(const redis::RedisEndpoint& endpoint, AdminSession& session, const SeedOptions& options);

}  // namespace jkjav::cmd
