// What `jkjav-admin status` reports, read from Redis in one pipelined round trip (plus one for the
// waitlists): not one atomic snapshot, but every figure is at most one round trip old.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "adapters/redis/redis_keys.hpp"
#include "admin_session.hpp"

namespace jkjav::cmd {

struct SlotStatus {
    std::string location;
    std::string date;         // YYYYMMDD
    long long capacity = -1;  // -1: a counter seeded before capacities were kept
    long long remaining = 0;
    long long waiting = 0;  // people in this slot's waitlist
    [[nodiscard]] long long booked() const { return capacity < 0 ? 0 : capacity - remaining; }
};

struct RelayStatus {
    std::string name;
    long long pending = 0;
    long long idleMs = 0;
};

struct CampaignStatus {
    std::string id;
    std::string epoch;
    std::string seededAt;
};

struct StatusReport {
    std::optional<CampaignStatus> campaign;  // nullopt: not seeded (or the marker is lost)
    std::vector<SlotStatus> slots;           // by location, then date
    long long referencesIssued = 0;          // only grows: its change over time is the booking rate
    long long outboxBacklog = 0;             // events not yet confirmed by Kafka
    std::optional<double> outboxOldestAgeSeconds;
    std::vector<RelayStatus> relays;
};

// nullopt (the reason in session.error()) when Redis stopped answering.
std::optional<StatusReport> readStatus(AdminSession& session, const redis::RedisKeys& keys,
                                       std::chrono::system_clock::time_point now);

}  // namespace jkjav::cmd
