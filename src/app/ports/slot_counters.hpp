// Port: the remaining-slot counters, read all at once and seeded without ever overwriting one.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "domain/campaign.hpp"

namespace jkjav::app {

// slotKey -> remaining
using CounterTable = std::unordered_map<std::string, std::int64_t>;

class SlotCounters {
  public:
    virtual ~SlotCounters() = default;
    // Creates the counters the campaign offers that do not exist yet; false when the store is away.
    virtual boost::asio::awaitable<bool> seedMissing(const domain::Campaign& campaign) = 0;
    // Every counter in one round trip; nullopt when the store is away.
    virtual boost::asio::awaitable<std::optional<CounterTable>> readAll() = 0;
};

}  // namespace jkjav::app
