// gmock doubles of the app layer's ports; coroutine methods forward to plain mocked ones.
#pragma once

#include <gmock/gmock.h>

#include "app/ports/booking_store.hpp"
#include "app/ports/clock.hpp"
#include "app/ports/lookup_failures.hpp"
#include "app/ports/slot_counters.hpp"

namespace jkjav::testing {

class MockBookingStore : public app::BookingStore {
  public:
    MOCK_METHOD(app::StoreResult, bookNow,
                (const domain::Booking& draft, std::string_view slotKey, bool joinWaitlist));
    MOCK_METHOD(app::FindResult, findNow, (std::string personId, std::string phoneNumber));
    MOCK_METHOD(app::FindResult, cancelNow,
                (std::string personId, std::string phoneNumber, std::string cancelledAt));
    boost::asio::awaitable<app::StoreResult> book(const domain::Booking& draft, std::string_view slotKey,
                                                  bool joinWaitlist, app::QueuePass queue) override {
        lastQueueMember = std::string(queue.member);
        lastWaitlistInLine = queue.waitlistInLine;
        co_return bookNow(draft, slotKey, joinWaitlist);
    }
    boost::asio::awaitable<app::FindResult> find(std::string_view personId,
                                                 std::string_view phoneNumber) override {
        co_return findNow(std::string(personId), std::string(phoneNumber));
    }
    boost::asio::awaitable<app::FindResult> cancel(std::string_view personId, std::string_view phoneNumber,
                                                   std::string_view cancelledAt) override {
        co_return cancelNow(std::string(personId), std::string(phoneNumber), std::string(cancelledAt));
    }
    MOCK_METHOD(app::WaitlistResult, findPlaceNow, (std::string personId, std::string phoneNumber));
    MOCK_METHOD(app::WaitlistResult, leaveNow, (std::string personId, std::string phoneNumber));
    boost::asio::awaitable<app::WaitlistResult> findWaitlistPlace(std::string_view personId,
                                                                  std::string_view phoneNumber) override {
        co_return findPlaceNow(std::string(personId), std::string(phoneNumber));
    }
    boost::asio::awaitable<app::WaitlistResult> leaveWaitlist(std::string_view personId,
                                                              std::string_view phoneNumber) override {
        co_return leaveNow(std::string(personId), std::string(phoneNumber));
    }
    std::string lastQueueMember;  // what the last book() was given as its admission
    bool lastWaitlistInLine = false;
};

class MockSlotCounters : public app::SlotCounters {
  public:
    MOCK_METHOD(app::SeedResult, seedNow,
                (const domain::Campaign& campaign, const app::SeedRequest& request));
    MOCK_METHOD(std::optional<app::CounterRead>, readNow, ());
    boost::asio::awaitable<app::SeedResult> seed(const domain::Campaign& campaign,
                                                 const app::SeedRequest& request) override {
        co_return seedNow(campaign, request);
    }
    boost::asio::awaitable<std::optional<app::CounterRead>> readAll() override { co_return readNow(); }
};

class MockLookupFailures : public app::LookupFailures {
  public:
    MOCK_METHOD(std::optional<long long>, countNow, (std::string personId));
    MOCK_METHOD(void, recordNow,
                (std::string personId, std::chrono::seconds window, long long lockAt,
                 std::chrono::seconds lockFor));
    boost::asio::awaitable<std::optional<long long>> count(std::string_view personId) override {
        co_return countNow(std::string(personId));
    }
    boost::asio::awaitable<void> record(std::string_view personId, std::chrono::seconds window,
                                        long long lockAt, std::chrono::seconds lockFor) override {
        recordNow(std::string(personId), window, lockAt, lockFor);
        co_return;
    }
};

class FixedClock : public app::Clock {
  public:
    explicit FixedClock(std::chrono::system_clock::time_point now) : now_(now) {}
    [[nodiscard]] std::chrono::system_clock::time_point now() const override { return now_; }

  private:
    std::chrono::system_clock::time_point now_;
};

// Elapsed time that moves only when the test says so.
class ManualMonotonicClock : public app::MonotonicClock {
  public:
    [[nodiscard]] std::chrono::steady_clock::time_point now() const override { return now_; }
    void advance(std::chrono::milliseconds by) { now_ += by; }

  private:
    std::chrono::steady_clock::time_point now_{std::chrono::hours(1)};
};

// 2021-05-26T01:02:03Z
inline std::chrono::system_clock::time_point kMay26() {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1621990923));
}

inline domain::Campaign pwtcCampaign() {
    return domain::Campaign("test", {{"kl", "KL"}},
                            {{"PWTC", "PWTC", "kl", {{{2021, 5, 17}, 10}, {{2021, 5, 16}, 1000}}},
                             {"UM", "UM", "kl", {{{2021, 6, 7}, 2500}}}},
                            std::nullopt);
}

}  // namespace jkjav::testing

#include "app/ports/outbox.hpp"

namespace jkjav::testing {

class MockOutbox : public app::Outbox {
  public:
    MOCK_METHOD(std::optional<std::vector<app::OutboxEntry>>, nextNow, (std::size_t max, bool retryPending));
    MOCK_METHOD(bool, acknowledgeNow, (std::vector<std::string> entryIds));
    MOCK_METHOD(bool, confirmNow, ());
    boost::asio::awaitable<std::optional<std::vector<app::OutboxEntry>>> nextBatch(
        std::size_t max, bool retryPending) override {
        co_return nextNow(max, retryPending);
    }
    boost::asio::awaitable<bool> acknowledge(std::span<const std::string> entryIds) override {
        co_return acknowledgeNow(std::vector<std::string>(entryIds.begin(), entryIds.end()));
    }
    boost::asio::awaitable<bool> confirmReplicated() override { co_return confirmNow(); }
};

class MockEventPublisher : public app::EventPublisher {
  public:
    MOCK_METHOD(std::vector<bool>, publishNow, (std::vector<app::OutboxEntry> entries));
    boost::asio::awaitable<std::vector<bool>> publish(std::span<const app::OutboxEntry> entries) override {
        co_return publishNow(std::vector<app::OutboxEntry>(entries.begin(), entries.end()));
    }
    MOCK_METHOD(void, rebootstrapNow, ());
    boost::asio::awaitable<void> rebootstrap() override {
        rebootstrapNow();
        co_return;
    }
};

}  // namespace jkjav::testing
