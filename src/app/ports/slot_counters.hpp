// Port: the remaining-slot counters and the campaign marker that says they were seeded on purpose.
// Servers only read them; creating them is the operator's explicit act (jkjav-admin seed).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/campaign.hpp"

namespace jkjav::app {

// slotKey -> remaining
using CounterTable = std::unordered_map<std::string, std::int64_t>;

// Written once with the counters. A store without it has not been opened for bookings, or has lost
// its data: either way nobody may book until an operator seeds.
struct CampaignMarker {
    std::string campaignId;  // the campaign file's name
    std::string epoch;       // part of every booking reference of this seeding (never repeats)
    std::string seededAt;    // RFC 3339, UTC
    bool operator==(const CampaignMarker&) const = default;
};

struct CounterRead {
    std::optional<CampaignMarker> marker;
    CounterTable counters;
};

struct SeedRequest {
    CampaignMarker marker;     // what to record when the campaign is (re)opened
    bool forceReseed = false;  // open again although the store holds another campaign's marker
    // Evidence outside the store (bookings already published to Kafka) that the campaign has
    // started: a store without marker and counters then lost its data, and is not seeded unforced.
    bool startedElsewhere = false;
};

enum class SeedOutcome {
    kSeeded,            // counters and marker created: bookings may start
    kAlreadySeeded,     // the marker was there: only counters for newly offered dates were added
    kAdopted,           // counters from before markers existed: kept as they are, marker added
    kOtherCampaign,     // the store is another campaign's; nothing changed
    kStartedElsewhere,  // no marker, but the campaign has started (SeedRequest::startedElsewhere)
    kUnavailable,
};

struct SeedResult {
    SeedOutcome outcome = SeedOutcome::kUnavailable;
    CampaignMarker marker;  // the marker now in force (the other one for kOtherCampaign)
    std::int64_t countersCreated = 0;
    std::vector<std::string> createdSlots;  // the slot keys of the counters created, as offered
};

class SlotCounters {
  public:
    virtual ~SlotCounters() = default;
    // Every counter and the marker, in one atomic read; nullopt when the store is away.
    virtual boost::asio::awaitable<std::optional<CounterRead>> readAll() = 0;
    // Creates the counters the campaign offers that do not exist yet (never overwriting one) and
    // records the marker, as SeedOutcome describes.
    virtual boost::asio::awaitable<SeedResult> seed(const domain::Campaign& campaign,
                                                    const SeedRequest& request) = 0;
};

}  // namespace jkjav::app
