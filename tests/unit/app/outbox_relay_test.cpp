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
    StrictMock<testing::MockOutbox> outbox_;
    StrictMock<testing::MockEventPublisher> publisher_;
    OutboxRelay relay_{outbox_, publisher_, {.batchSize = 3}};
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

}  // namespace
}  // namespace jkjav::app
