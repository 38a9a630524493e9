#include "fake_ports.hpp"

#include <algorithm>

namespace jkjav::fuzz {

using domain::Outcome;

void InMemoryOutbox::append(domain::BookingEvent event) {
    entries_.push_back({std::to_string(nextId_++), std::move(event)});
}

boost::asio::awaitable<std::optional<std::vector<app::OutboxEntry>>> InMemoryOutbox::nextBatch(
    std::size_t max, [[maybe_unused]] bool retryPending) {
    std::vector<app::OutboxEntry> batch(
        entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(std::min(max, size())));
    co_return batch;
}

boost::asio::awaitable<bool> InMemoryOutbox::acknowledge(std::span<const std::string> entryIds) {
    std::erase_if(entries_, [&](const app::OutboxEntry& entry) {
        return std::find(entryIds.begin(), entryIds.end(), entry.entryId) != entryIds.end();
    });
    co_return true;
}

boost::asio::awaitable<std::optional<app::CounterRead>> InMemorySlotCounters::readAll() {
    co_return app::CounterRead{marker_, counters_};
}

boost::asio::awaitable<app::SeedResult> InMemorySlotCounters::seed(const domain::Campaign& campaign,
                                                                   const app::SeedRequest& request) {
    if (marker_ && marker_->campaignId != request.marker.campaignId && !request.forceReseed)
        co_return app::SeedResult{app::SeedOutcome::kOtherCampaign, *marker_, 0};
    const bool hadMarker = marker_.has_value();
    if (!hadMarker || request.forceReseed) marker_ = request.marker;
    std::int64_t created = 0;
    for (const auto& location : campaign.locations()) {
        for (const auto& offer : location.offers) {
            created +=
                counters_.try_emplace(domain::slotKey(location.code, offer.date), offer.capacity).second;
        }
    }
    co_return app::SeedResult{hadMarker ? app::SeedOutcome::kAlreadySeeded : app::SeedOutcome::kSeeded,
                              *marker_, created};
}

bool InMemorySlotCounters::take(const std::string& slotKey) {
    const auto it = counters_.find(slotKey);
    if (it == counters_.end() || it->second <= 0) return false;
    --it->second;
    return true;
}

void InMemorySlotCounters::giveBack(const std::string& slotKey) {
    if (auto it = counters_.find(slotKey); it != counters_.end()) ++it->second;
}

boost::asio::awaitable<app::StoreResult> InMemoryBookingStore::book(const domain::Booking& draft,
                                                                    std::string_view slotKeyView,
                                                                    bool joinWaitlist,
                                                                    app::QueuePass /*queue: no queue here*/) {
    const std::string slotKey(slotKeyView);
    if (!counters_.seeded()) co_return app::StoreResult{Outcome::kNotSeeded, {}, 0};
    if (!counters_.knows(slotKey)) co_return app::StoreResult{Outcome::kUnknownSlot, {}, 0};
    if (const auto held = bookings_.find(draft.mysejahteraId); held != bookings_.end()) {
        if (held->second.slotKey == slotKey)
            co_return app::StoreResult{Outcome::kAlreadyHeld, held->second.booking, 0};
        co_return app::StoreResult{Outcome::kAlreadyBooked, {}, 0};
    }
    if (!counters_.take(slotKey)) {
        if (!joinWaitlist) co_return app::StoreResult{Outcome::kFull, {}, 0};
        auto& queue = waitlists_[slotKey];
        const auto waiting = std::find_if(queue.begin(), queue.end(), [&](const domain::Booking& booking) {
            return booking.mysejahteraId == draft.mysejahteraId;
        });
        if (waiting == queue.end()) queue.push_back(draft);
        const auto position =
            std::distance(queue.begin(), waiting == queue.end() ? queue.end() - 1 : waiting);
        co_return app::StoreResult{Outcome::kWaitlisted, {}, position + 1};
    }
    domain::Booking booking = draft;
    booking.reference = "JK" + std::to_string(nextReference_++);
    bookings_[booking.mysejahteraId] = Held{booking, slotKey};
    outbox_.append({booking.reference, "booking.created", booking.createdAt, booking});
    co_return app::StoreResult{Outcome::kBooked, booking, 0};
}

boost::asio::awaitable<app::FindResult> InMemoryBookingStore::find(std::string_view personId,
                                                                   std::string_view phoneNumber) {
    const auto held = bookings_.find(personId);
    if (held == bookings_.end() || held->second.booking.phoneNumber != phoneNumber)
        co_return app::FindResult{Outcome::kNotFound, {}, {}};
    co_return app::FindResult{Outcome::kFound, held->second.booking, {}};
}

boost::asio::awaitable<app::FindResult> InMemoryBookingStore::cancel(std::string_view personId,
                                                                     std::string_view phoneNumber,
                                                                     std::string_view cancelledAt) {
    const auto held = bookings_.find(personId);
    if (held == bookings_.end() || held->second.booking.phoneNumber != phoneNumber)
        co_return app::FindResult{Outcome::kNotFound, {}, {}};
    app::FindResult result{Outcome::kCancelled, held->second.booking, {}};
    const std::string slotKey = held->second.slotKey;
    bookings_.erase(held);
    outbox_.append({result.booking.reference + "-cancelled", "booking.cancelled", std::string(cancelledAt),
                    result.booking});
    auto& queue = waitlists_[slotKey];
    if (queue.empty()) {
        counters_.giveBack(slotKey);
        co_return result;
    }
    domain::Booking promoted = std::move(queue.front());
    queue.pop_front();
    promoted.reference = "JK" + std::to_string(nextReference_++);
    result.promotedPersonId = promoted.mysejahteraId;
    outbox_.append({promoted.reference, "booking.created", std::string(cancelledAt), promoted});
    const std::string promotedId = promoted.mysejahteraId;
    bookings_[promotedId] = Held{std::move(promoted), slotKey};
    co_return result;
}

app::WaitlistResult InMemoryBookingStore::place(std::string_view personId, std::string_view phoneNumber,
                                                bool leave) {
    for (auto& [slotKey, queue] : waitlists_) {
        for (auto it = queue.begin(); it != queue.end(); ++it) {
            if (it->mysejahteraId != personId) continue;
            if (it->phoneNumber != phoneNumber) return {Outcome::kNotFound, {}};
            app::WaitlistResult result{leave ? Outcome::kCancelled : Outcome::kFound,
                                       {it->location, it->date, (it - queue.begin()) + 1, it->createdAt}};
            if (leave) queue.erase(it);
            return result;
        }
    }
    return {Outcome::kNotFound, {}};
}

boost::asio::awaitable<app::WaitlistResult> InMemoryBookingStore::findWaitlistPlace(
    std::string_view personId, std::string_view phoneNumber) {
    co_return place(personId, phoneNumber, false);
}

boost::asio::awaitable<app::WaitlistResult> InMemoryBookingStore::leaveWaitlist(
    std::string_view personId, std::string_view phoneNumber) {
    co_return place(personId, phoneNumber, true);
}

}  // namespace jkjav::fuzz
