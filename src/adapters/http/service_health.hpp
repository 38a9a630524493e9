// What /readyz reports, shared by every worker thread: written by the publisher, read anywhere.
#pragma once

#include <atomic>

#include "app/availability_service.hpp"

namespace jkjav::http {

struct ServiceHealth {
    std::atomic<app::CampaignStatus> campaign{app::CampaignStatus::kUnknown};
    std::atomic<bool> draining{false};         // shutting down: load balancers should stop sending
    std::atomic<long long> outboxBacklog{-1};  // events not yet delivered to Kafka; -1: unknown
};

}  // namespace jkjav::http
