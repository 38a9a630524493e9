// A vaccination campaign: its locations, the dates each offers and their capacity, and its rules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar_date.hpp"
#include "domain/queue_rules.hpp"

namespace jkjav::domain {

struct Eligibility {
    int minAgeYears = 0;
    CalendarDate referenceDate;
    std::optional<bool> allowNonMyKad;  // unset: decided from the age rule
};

struct State {
    std::string key;
    std::string name;
};

// Far above any venue's day, and low enough that a campaign's total (an int64) cannot overflow.
inline constexpr std::int64_t kMaxSlotCapacity = 1'000'000'000;
inline constexpr int kMaxMinAgeYears = 150;

struct SlotOffer {
    CalendarDate date;
    std::int64_t capacity = 0;
};

struct Location {
    std::string code;  // [A-Za-z0-9_-]{1,32}: used in URLs and Redis field names as it is
    std::string name;
    std::string stateKey;
    std::vector<SlotOffer> offers;  // ordered by date, no date twice
};

// The key naming one location-date everywhere: the counter's field in Redis, the outbox, logs.
std::string slotKey(std::string_view locationCode, const CalendarDate& date);

class Campaign {
  public:
    Campaign() = default;
    // Orders each location's offers by date; use validate() to learn what is wrong with it.
    Campaign(std::string name, std::vector<State> states, std::vector<Location> locations,
             std::optional<Eligibility> eligibility);

    // Everything wrong with the campaign, one message each; empty when it can be served.
    [[nodiscard]] std::vector<std::string> validate() const;

    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] const std::vector<State>& states() const { return states_; }
    [[nodiscard]] const std::vector<Location>& locations() const { return locations_; }
    [[nodiscard]] const std::optional<Eligibility>& eligibility() const { return eligibility_; }
    // The waiting room, when the campaign file has a `queue` section; unset: no queue.
    [[nodiscard]] const std::optional<QueueSettings>& queue() const { return queue_; }
    void setQueue(std::optional<QueueSettings> queue) { queue_ = std::move(queue); }

    [[nodiscard]] const Location* findLocation(std::string_view code) const;
    [[nodiscard]] const SlotOffer* findOffer(std::string_view locationCode, const CalendarDate& date) const;
    [[nodiscard]] std::size_t slotCount() const;
    [[nodiscard]] std::int64_t totalCapacity() const;

  private:
    std::string name_;
    std::vector<State> states_;
    std::vector<Location> locations_;
    std::optional<Eligibility> eligibility_;
    std::optional<QueueSettings> queue_;
    std::map<std::string, std::size_t, std::less<>> locationIndex_;
};

bool isValidLocationCode(std::string_view code);

}  // namespace jkjav::domain
