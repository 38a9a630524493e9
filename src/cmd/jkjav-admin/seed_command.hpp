// `jkjav-admin seed`: the one way a campaign is opened for bookings (servers never seed).
#pragma once

#include <string>

#include "adapters/redis/redis_endpoint.hpp"

namespace jkjav::cmd {

struct SeedOptions {
    std::string campaignFile;
    bool forceReseed = false;
};

// Prints what it did; the process exit code: 0 seeded (or already), 1 Redis or file trouble,
// 3 refused (another campaign's marker, without --force-reseed).
int seedCampaign(const redis::RedisEndpoint& endpoint, const SeedOptions& options);

}  // namespace jkjav::cmd
