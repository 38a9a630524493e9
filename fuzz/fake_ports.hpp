// In-memory ports for the fuzz targets: the same rules as the Redis scripts (one booking per
// person, counters never below zero, a FIFO waitlist), kept small and deterministic so a crash
// replays exactly.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "app/ports/booking_store.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/lookup_failures.hpp"
#include "app/ports/outbox.hpp"
#include "app/ports/slot_counters.hpp"

namespace jkjav::fuzz {

// The outbox the store writes an event to with each change, as the Redis scripts do.
class InMemoryOutbox final : public app::Outbox {
  public:
    void append(domain::BookingEvent event);
    boost::asio::awaitable<std::optional<std::vector<app::OutboxEntry>>> nextBatch(
        std::size_t max, bool retryPending) override;
    boost::asio::awaitable<bool> acknowledge(std::span<const std::string> entryIds) override;
    boost::asio::awaitable<bool> confirmReplicated() override { co_return true; }  // no replicas here
    [[nodiscard]] std::size_t size() const { return entries_.size(); }

  private:
    std::deque<app::OutboxEntry> entries_;
    std::uint64_t nextId_ = 1;
};

class InMemorySlotCounters final : public app::SlotCounters {
  public:
    boost::asio::awaitable<std::optional<app::CounterRead>> readAll() override;
    boost::asio::awaitable<app::SeedResult> seed(const domain::Campaign& campaign,
                                                 const app::SeedRequest& request) override;
    // Taking a seat, for the store; false when the slot is unknown or full.
    bool take(const std::string& slotKey);
    void giveBack(const std::string& slotKey);
    [[nodiscard]] bool knows(const std::string& slotKey) const { return counters_.contains(slotKey); }
    [[nodiscard]] bool seeded() const { return marker_.has_value(); }

  private:
    std::optional<app::CampaignMarker> marker_;
    app::CounterTable counters_;
};

class InMemoryBookingStore final : public app::BookingStore {
  public:
    InMemoryBookingStore(InMemorySlotCounters& counters, InMemoryOutbox& outbox)
        : counters_(counters), outbox_(outbox) {}

    boost::asio::awaitable<app::StoreResult> book(const domain::Booking& draft, std::string_view slotKey,
                                                  bool joinWaitlist, app::QueuePass queue) override;
    boost::asio::awaitable<app::FindResult> find(std::string_view personId,
                                                 std::string_view phoneNumber) override;
    boost::asio::awaitable<app::FindResult> cancel(std::string_view personId, std::string_view phoneNumber,
                                                   std::string_view cancelledAt) override;
    boost::asio::awaitable<app::WaitlistResult> findWaitlistPlace(std::string_view personId,
                                                                  std::string_view phoneNumber) override;
    boost::asio::awaitable<app::WaitlistResult> leaveWaitlist(std::string_view personId,
                                                              std::string_view phoneNumber) override;

  private:
    // The person's place in any queue, removed when `leave`.
    app::WaitlistResult place(std::string_view personId, std::string_view phoneNumber, bool leave);

    struct Held {
        domain::Booking booking;
        std::string slotKey;
    };
    InMemorySlotCounters& counters_;
    InMemoryOutbox& outbox_;
    std::map<std::string, Held, std::less<>> bookings_;             // by person id
    std::map<std::string, std::deque<domain::Booking>> waitlists_;  // by slot key
    std::uint64_t nextReference_ = 1;
};

// Wrong phone numbers per id, as the Redis adapter counts them (without expiry: one input is short).
class InMemoryLookupFailures final : public app::LookupFailures {
  public:
    boost::asio::awaitable<std::optional<long long>> count(std::string_view personId) override {
        const auto it = failures_.find(personId);
        co_return it == failures_.end() ? 0 : it->second;
    }
    boost::asio::awaitable<void> record(std::string_view personId, std::chrono::seconds, long long,
                                        std::chrono::seconds) override {
        ++failures_[std::string(personId)];
        co_return;
    }

  private:
    std::map<std::string, long long, std::less<>> failures_;
};

class FixedClock final : public app::Clock {
  public:
    [[nodiscard]] std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::time_point(std::chrono::seconds(1'622'505'600));  // 2021-06-01
    }
};

}  // namespace jkjav::fuzz
