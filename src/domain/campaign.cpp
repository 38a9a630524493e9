#include "domain/campaign.hpp"

#include <algorithm>
#include <set>

namespace jkjav::domain {

std::string slotKey(std::string_view locationCode, const CalendarDate& date) {
    std::string key(locationCode);
    key.push_back(':');
    key.append(date.compact());
    return key;
}

bool isValidLocationCode(std::string_view code) {
    if (code.empty() || code.size() > 32) return false;
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
               c == '-';
    });
}

Campaign::Campaign(std::string name, std::vector<State> states, std::vector<Location> locations,
                   std::optional<Eligibility> eligibility)
    : name_(std::move(name)),
      states_(std::move(states)),
      locations_(std::move(locations)),
      eligibility_(std::move(eligibility)) {
    for (std::size_t i = 0; i < locations_.size(); ++i) {
        auto& offers = locations_[i].offers;
        std::stable_sort(offers.begin(), offers.end(),
                         [](const SlotOffer& a, const SlotOffer& b) { return a.date < b.date; });
        locationIndex_.emplace(locations_[i].code, i);
    }
}

std::vector<std::string> Campaign::validate() const {
    std::vector<std::string> problems;
    if (locations_.empty()) problems.emplace_back("the campaign has no locations");
    std::set<std::string, std::less<>> stateKeys;
    for (const auto& state : states_) {
        if (state.key.empty()) problems.emplace_back("a state has an empty key");
        if (!stateKeys.insert(state.key).second)
            problems.push_back("state '" + state.key + "' is listed twice");
    }
    std::set<std::string, std::less<>> codes;
    for (const auto& location : locations_) {
        const std::string where = "location '" + location.code + "'";
        if (!isValidLocationCode(location.code)) {
            problems.push_back(where + ": a code is 1 to 32 letters, digits, '_' or '-'");
        }
        if (!codes.insert(location.code).second) problems.push_back(where + " is listed twice");
        if (!states_.empty() && !stateKeys.contains(location.stateKey)) {
            problems.push_back(where + ": unknown state '" + location.stateKey + "'");
        }
        if (location.offers.empty()) problems.push_back(where + " offers no dates");
        for (std::size_t i = 0; i < location.offers.size(); ++i) {
            const auto& offer = location.offers[i];
            if (offer.capacity < 0)
                problems.push_back(where + ": negative capacity on " + offer.date.compact());
            if (offer.capacity > kMaxSlotCapacity) {
                problems.push_back(where + ": capacity above " + std::to_string(kMaxSlotCapacity) + " on " +
                                   offer.date.compact());
            }
            if (i > 0 && location.offers[i - 1].date == offer.date) {
                problems.push_back(where + ": date " + offer.date.compact() + " is listed twice");
            }
        }
    }
    if (eligibility_ && eligibility_->minAgeYears < 0)
        problems.emplace_back("minAgeYears must not be negative");
    if (eligibility_ && eligibility_->minAgeYears > kMaxMinAgeYears)
        problems.push_back("minAgeYears above " + std::to_string(kMaxMinAgeYears));
    return problems;
}

const Location* Campaign::findLocation(std::string_view code) const {
    const auto it = locationIndex_.find(code);
    return it == locationIndex_.end() ? nullptr : &locations_[it->second];
}

const SlotOffer* Campaign::findOffer(std::string_view locationCode, const CalendarDate& date) const {
    const Location* location = findLocation(locationCode);
    if (location == nullptr) return nullptr;
    const auto it =
        std::lower_bound(location->offers.begin(), location->offers.end(), date,
                         [](const SlotOffer& offer, const CalendarDate& d) { return offer.date < d; });
    return it != location->offers.end() && it->date == date ? &*it : nullptr;
}

std::size_t Campaign::slotCount() const {
    std::size_t count = 0;
    for (const auto& location : locations_) count += location.offers.size();
    return count;
}

std::int64_t Campaign::totalCapacity() const {
    std::int64_t total = 0;
    for (const auto& location : locations_) {
        for (const auto& offer : location.offers) total += offer.capacity;
    }
    return total;
}

}  // namespace jkjav::domain
