// Queue tickets: signed, opaque, refused when altered in any way.
#include <gtest/gtest.h>

#include "adapters/queue/hmac_queue_tickets.hpp"

namespace jkjav::queue {
namespace {

const std::string kSecret(40, 's');

TEST(QueueTickets, ReadBackWhatWasIssued) {
    const HmacQueueTickets tickets(kSecret);
    const std::string member = tickets.memberOf("900101015555");
    for (std::int64_t rank : {-1LL, 0LL, 7LL, 123456789LL}) {
        const auto read = tickets.read(tickets.issue({member, rank}));
        ASSERT_TRUE(read.has_value()) << rank;
        EXPECT_EQ(read->member, member);
        EXPECT_EQ(read->rank, rank);
    }
}

TEST(QueueTickets, CarryTheJoinTimeTheEstimateAndWhetherAdmissionWasAnswered) {
    const HmacQueueTickets tickets(kSecret);
    const domain::QueueTicket cases[] = {
        {.member = tickets.memberOf("900101015555"),
         .rank = 3,
         .joinedAtMs = 1621990923000,
         .estimateSeconds = 90,
         .admissionSeen = false},
        {.member = tickets.memberOf("900101015555"),
         .rank = 3,
         .joinedAtMs = 1621990923000,
         .estimateSeconds = 0,
         .admissionSeen = true},
        {.member = tickets.memberOf("900101015555"), .rank = -1, .joinedAtMs = -1, .estimateSeconds = -1},
    };
    for (const auto& issued : cases) {
        const std::string ticket = tickets.issue(issued);
        const auto read = tickets.read(ticket);
        ASSERT_TRUE(read.has_value()) << ticket;
        EXPECT_EQ(read->rank, issued.rank) << ticket;
        EXPECT_EQ(read->joinedAtMs, issued.joinedAtMs) << ticket;
        EXPECT_EQ(read->estimateSeconds, issued.estimateSeconds) << ticket;
        EXPECT_EQ(read->admissionSeen, issued.admissionSeen) << ticket;
    }
    // Setting the flag changes the ticket: the client is handed the refreshed one.
    EXPECT_NE(tickets.issue(cases[0]), tickets.issue({.member = cases[0].member,
                                                      .rank = 3,
                                                      .joinedAtMs = 1621990923000,
                                                      .estimateSeconds = 90,
                                                      .admissionSeen = true}));
}

TEST(QueueTickets, MemberIsAKeyedHashNotTheId) {
    const HmacQueueTickets tickets(kSecret);
    const std::string member = tickets.memberOf("900101015555");
    EXPECT_EQ(member.size(), 32u);
    EXPECT_EQ(member, tickets.memberOf("900101015555")) << "the same person, the same place";
    EXPECT_NE(member, tickets.memberOf("900101015556"));
    EXPECT_NE(member, HmacQueueTickets(std::string(40, 't')).memberOf("900101015555"));
    const std::string ticket = tickets.issue({member, 3});
    EXPECT_EQ(ticket.find("900101015555"), std::string::npos);
}

TEST(QueueTickets, EveryAlteredCharacterIsRefused) {
    const HmacQueueTickets tickets(kSecret);
    const std::string ticket = tickets.issue({tickets.memberOf("900101015555"), 42});
    for (std::size_t i = 0; i < ticket.size(); ++i) {
        std::string altered = ticket;
        altered[i] = altered[i] == 'A' ? 'B' : 'A';
        EXPECT_FALSE(tickets.read(altered).has_value()) << "altered at " << i << ": " << altered;
    }
}

TEST(QueueTickets, ForgedShapesAreRefused) {
    const HmacQueueTickets tickets(kSecret);
    const std::string genuine = tickets.issue({tickets.memberOf("900101015555"), 42});
    const HmacQueueTickets otherKey(std::string(40, 'x'));
    for (const std::string& forged :
         {std::string(), std::string("1"), genuine.substr(0, genuine.size() - 1), genuine + "A",
          genuine + ".", otherKey.issue({tickets.memberOf("900101015555"), 0}), std::string(500, 'a'),
          // A better rank with the genuine signature.
          "2." + tickets.memberOf("900101015555") + ".0.-.-" + genuine.substr(genuine.rfind('.')),
          // The admission flag added to the genuine signature.
          genuine.substr(0, genuine.rfind('.')) + ".a" + genuine.substr(genuine.rfind('.'))}) {
        EXPECT_FALSE(tickets.read(forged).has_value()) << forged;
    }
}

}  // namespace
}  // namespace jkjav::queue
