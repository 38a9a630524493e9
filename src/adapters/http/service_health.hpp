// What /readyz reports, shared by every worker thread: written by the publisher, read anywhere.
#pragma once

#include <atomic>

#include "app/availability_service.hpp"

namespace jkjav::http {

struct ServiceHealth {
    std::atomic<app::CampaignStatus> campaign{app::CampaignStatus::kUnknown};
    std::atomic<bool> draining{false};         // shutting down: load balancers should stop sending
    std::atomic<long long> outboxBacklog{-1};  // events not yet delivered to Kafka; -1: unknown
    // When the oldest of them was written (Unix ms, the store's clock); 0: none; -1: unknown.
    std::atomic<long long> outboxOldestMillis{-1};

    // With Sentinels: a majority's verdict is in force (AckQuorumWatch), so writes can be
    // acknowledged here. Without: always true.
    std::atomic<bool> sentinelMajority{true};

    // What /readyz answers 200 for: the campaign is open on the store, writes can be acknowledged
    // and no drain has begun.
    [[nodiscard]] bool ready() const {
        return campaign.load(std::memory_order_relaxed) == app::CampaignStatus::kOpen &&
               sentinelMajority.load(std::memory_order_relaxed) && !draining.load(std::memory_order_relaxed);
    }
};

}  // namespace jkjav::http
