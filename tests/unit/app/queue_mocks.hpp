// gmock double of the waiting room's store, and readable tickets for tests that are not about signing.
#pragma once

#include <gmock/gmock.h>

#include <string>

#include "app/ports/queue_store.hpp"
#include "app/ports/queue_tickets.hpp"

namespace jkjav::testing {

class MockQueueStore : public app::QueueStore {
  public:
    MOCK_METHOD(app::QueueJoinResult, joinNow, (std::string member, std::string personId));
    MOCK_METHOD(app::QueuePlaceResult, placeNow, (std::string member));
    MOCK_METHOD(app::AdmissionRound, admitNow, ());
    MOCK_METHOD(app::QueueDrawPage, drawnNow, (std::int64_t from, std::int64_t count));
    boost::asio::awaitable<app::QueueJoinResult> join(std::string_view member, std::string_view personId,
                                                      double drawKey) override {
        EXPECT_GE(drawKey, 0.0);
        EXPECT_LT(drawKey, 1.0);
        co_return joinNow(std::string(member), std::string(personId));
    }
    boost::asio::awaitable<app::QueuePlaceResult> place(std::string_view member) override {
        co_return placeNow(std::string(member));
    }
    boost::asio::awaitable<app::AdmissionRound> admit() override { co_return admitNow(); }
    boost::asio::awaitable<app::QueueDrawPage> drawn(std::int64_t from, std::int64_t count) override {
        co_return drawnNow(from, count);
    }
};

// Readable tickets: "member:rank"; "forged" is refused. Signing has its own test (adapters).
class PlainTickets : public app::QueueTickets {
  public:
    [[nodiscard]] std::string memberOf(std::string_view personId) const override {
        return "m-" + std::string(personId);
    }
    [[nodiscard]] std::string issue(const domain::QueueTicket& ticket) const override {
        return ticket.member + ":" + std::to_string(ticket.rank);
    }
    [[nodiscard]] std::optional<domain::QueueTicket> read(std::string_view ticket) const override {
        const auto colon = ticket.find(':');
        if (ticket.starts_with("forged") || colon == std::string_view::npos) return std::nullopt;
        return domain::QueueTicket{std::string(ticket.substr(0, colon)),
                                   std::stoll(std::string(ticket.substr(colon + 1)))};
    }
};

}  // namespace jkjav::testing
