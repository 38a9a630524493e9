// gmock double of the waiting room's store, and readable tickets for tests that are not about signing.
#pragma once

#include <gmock/gmock.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

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
    // A fake, not a mock: the first record of a member is kept, as record_join.lua keeps it.
    boost::asio::awaitable<app::QueueJoinRecord> recordJoin(std::string_view member, std::int64_t joinedAtMs,
                                                            std::int64_t estimateSeconds) override {
        auto [kept, _] = joinRecords.try_emplace(std::string(member), joinedAtMs, estimateSeconds);
        co_return app::QueueJoinRecord{true, kept->second.first, kept->second.second};
    }
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> joinRecords;
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
    // "member:rank", then ":joinedAtMs:estimateSeconds" and ":a" when the ticket carries them.
    [[nodiscard]] std::string issue(const domain::QueueTicket& ticket) const override {
        std::string out = ticket.member + ":" + std::to_string(ticket.rank);
        if (ticket.joinedAtMs >= 0)
            out += ":" + std::to_string(ticket.joinedAtMs) + ":" + std::to_string(ticket.estimateSeconds);
        if (ticket.admissionSeen) out += ":a";
        return out;
    }
    [[nodiscard]] std::optional<domain::QueueTicket> read(std::string_view ticket) const override {
        if (ticket.starts_with("forged") || ticket.find(':') == std::string_view::npos) return std::nullopt;
        std::vector<std::string> parts;
        std::string text(ticket);
        for (std::size_t start = 0;;) {
            const auto colon = text.find(':', start);
            parts.push_back(text.substr(start, colon == std::string::npos ? colon : colon - start));
            if (colon == std::string::npos) break;
            start = colon + 1;
        }
        domain::QueueTicket read{.member = parts[0], .rank = std::stoll(parts[1])};
        if (parts.size() >= 4) {
            read.joinedAtMs = std::stoll(parts[2]);
            read.estimateSeconds = std::stoll(parts[3]);
        }
        read.admissionSeen = parts.back() == "a";
        return read;
    }
};

}  // namespace jkjav::testing
