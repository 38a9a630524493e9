#include "app/outbox_relay.hpp"

#include <gtest/gtest.h>

#include "mocks.hpp"
#include "run_awaitable.hpp"

namespace jkjav::app {
namespace {

using ::testing::_;
using ::testing::ElementsAre;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::SizeIs;
using ::testing::StrictMock;

std::vector<OutboxEntry> entries(std::initializer_list<const char*> ids) {
    std::vector<OutboxEntry> out;
    for (const char* id : ids) out.push_back({id, {std::string("jkjav-") + id, "booking.created", "", {}}});
    return out;
}

class OutboxRelayTest : public ::testing::Test {
  protected:
    // Replicas hold every batch unless a test says otherwise (a newer expectation wins).
    OutboxRelayTest() { EXPECT_CALL(outbox_, confirmNow()).WillRepeatedly(Return(true)); }

    StrictMock<testing::MockOutbox> outbox_;
    StrictMock<testing::MockEventPublisher> publisher_;
    testing::ManualMonotonicClock clock_;
    OutboxRelay relay_{outbox_, publisher_, clock_, {.batchSize = 3}};
};

TEST_F(OutboxRelayTest, AcknowledgesOnlyWhatTheBrokerConfirmed) {
    InSequence order;
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(entries({"1-0", "2-0", "3-0"})));
    EXPECT_CALL(publisher_, publishNow(SizeIs(3))).WillOnce(Return(std::vector<bool>{true, false, true}));
    EXPECT_CALL(outbox_, acknowledgeNow(ElementsAre("1-0", "3-0"))).WillOnce(Return(true));

    const RelayStep step = testing::runAwaitable(relay_.step());
    EXPECT_EQ(step.read, 3u);
    EXPECT_EQ(step.delivered, 2u);
    EXPECT_EQ(step.failed, 1u);
}

TEST_F(OutboxRelayTest, ABatchTooFewReplicasHoldIsNotPublishedAndComesBackUntilTheyDo) {
    InSequence order;
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(entries({"1-0", "2-0"})));
    EXPECT_CALL(outbox_, confirmNow()).WillOnce(Return(false));  // the replica is behind: no publish
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(entries({"1-0", "2-0"})));  // still pending
    EXPECT_CALL(outbox_, confirmNow()).WillOnce(Return(true));
    EXPECT_CALL(publisher_, publishNow(SizeIs(2))).WillOnce(Return(std::vector<bool>{true, true}));
    EXPECT_CALL(outbox_, acknowledgeNow(ElementsAre("1-0", "2-0"))).WillOnce(Return(true));

    const RelayStep refused = testing::runAwaitable(relay_.step());
    EXPECT_TRUE(refused.unreplicated);
    EXPECT_EQ(refused.delivered, 0u);
    EXPECT_EQ(relay_.unreplicatedTotal(), 1u);
    const RelayStep delivered = testing::runAwaitable(relay_.step());
    EXPECT_FALSE(delivered.unreplicated);
    EXPECT_EQ(delivered.delivered, 2u);
    EXPECT_EQ(relay_.unreplicatedTotal(), 1u);
}

TEST_F(OutboxRelayTest, AnEmptyBatchNeedsNoReplicaConfirmation) {
    EXPECT_CALL(outbox_, confirmNow()).Times(0);
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(std::vector<OutboxEntry>{}));
    EXPECT_FALSE(testing::runAwaitable(relay_.step()).unreplicated);
}

TEST_F(OutboxRelayTest, RetriesItsPendingEntriesAfterAFailureThenMovesOn) {
    InSequence order;
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(entries({"1-0"})));
    EXPECT_CALL(publisher_, publishNow(_)).WillOnce(Return(std::vector<bool>{false}));  // broker away
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(entries({"1-0"})));  // the same entry again
    EXPECT_CALL(publisher_, publishNow(_)).WillOnce(Return(std::vector<bool>{true}));
    EXPECT_CALL(outbox_, acknowledgeNow(ElementsAre("1-0"))).WillOnce(Return(true));
    EXPECT_CALL(outbox_, nextNow(3, false)).WillOnce(Return(std::vector<OutboxEntry>{}));

    for (int i = 0; i < 3; ++i) testing::runAwaitable(relay_.step());
    EXPECT_EQ(relay_.deliveredTotal(), 1u);
}

TEST_F(OutboxRelayTest, AStartingRelayFinishesItsOwnPendingEntriesFirst) {
    InSequence order;
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(std::vector<OutboxEntry>{}));
    EXPECT_CALL(outbox_, nextNow(3, false)).WillOnce(Return(std::vector<OutboxEntry>{}));
    testing::runAwaitable(relay_.step());
    testing::runAwaitable(relay_.step());
}

TEST_F(OutboxRelayTest, NothingIsPublishedWhileTheStoreIsAway) {
    EXPECT_CALL(outbox_, nextNow(_, _)).WillOnce(Return(std::nullopt));
    EXPECT_TRUE(testing::runAwaitable(relay_.step()).storeAway);
}

TEST_F(OutboxRelayTest, DeliveredButUnacknowledgedEntriesAreOfferedAgain) {
    InSequence order;
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(entries({"1-0"})));
    EXPECT_CALL(publisher_, publishNow(_)).WillOnce(Return(std::vector<bool>{true}));
    EXPECT_CALL(outbox_, acknowledgeNow(_)).WillOnce(Return(false));  // Redis went away in between
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(std::vector<OutboxEntry>{}));
    EXPECT_TRUE(testing::runAwaitable(relay_.step()).storeAway);
    testing::runAwaitable(relay_.step());
}

TEST_F(OutboxRelayTest, ABrokerFailingForTheWholeIntervalGetsANewBootstrapAndItsEventsAreRetried) {
    OutboxRelay relay{
        outbox_, publisher_, clock_, {.batchSize = 3, .rebootstrapAfter = std::chrono::seconds(30)}};
    InSequence order;
    for (int attempt = 0; attempt < 3; ++attempt) {
        EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(entries({"1-0"})));
        EXPECT_CALL(publisher_, publishNow(_)).WillOnce([&](auto) {
            clock_.advance(std::chrono::seconds(10));  // each attempt waits out the delivery timeout
            return std::vector<bool>{false};
        });
    }
    EXPECT_CALL(publisher_, rebootstrapNow());
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(entries({"1-0"})));
    EXPECT_CALL(publisher_, publishNow(_)).WillOnce(Return(std::vector<bool>{true}));
    EXPECT_CALL(outbox_, acknowledgeNow(ElementsAre("1-0"))).WillOnce(Return(true));

    EXPECT_FALSE(testing::runAwaitable(relay.step()).rebootstrapped);
    EXPECT_FALSE(testing::runAwaitable(relay.step()).rebootstrapped);
    EXPECT_TRUE(testing::runAwaitable(relay.step()).rebootstrapped);
    EXPECT_EQ(testing::runAwaitable(relay.step()).delivered, 1u);  // the same entry, by the new client
}

TEST_F(OutboxRelayTest, StoppingFinishesTheBatchInFlightAndStartsNoOther) {
    InSequence order;
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce(Return(entries({"1-0", "2-0"})));
    EXPECT_CALL(publisher_, publishNow(SizeIs(2))).WillOnce([&](auto) {
        relay_.stop();  // SIGTERM while the broker has the batch
        return std::vector<bool>{true, true};
    });
    EXPECT_CALL(outbox_, acknowledgeNow(ElementsAre("1-0", "2-0"))).WillOnce(Return(true));
    // StrictMock: no further nextBatch; run() returns.
    testing::runAwaitable(relay_.run());
    EXPECT_EQ(relay_.deliveredTotal(), 2u);
}

TEST_F(OutboxRelayTest, EntriesReadAfterStopAreLeftPendingNotPublished) {
    EXPECT_CALL(outbox_, nextNow(3, true)).WillOnce([&](auto, auto) {
        relay_.stop();  // SIGTERM while waiting for new events
        return entries({"1-0"});
    });
    testing::runAwaitable(relay_.run());  // StrictMock: publishing or acknowledging fails the test
    EXPECT_EQ(relay_.deliveredTotal(), 0u);
}

}  // namespace
}  // namespace jkjav::app
