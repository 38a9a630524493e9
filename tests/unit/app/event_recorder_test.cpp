#include "app/event_recorder.hpp"

#include <gtest/gtest.h>

#include "mocks.hpp"
#include "recorder_mocks.hpp"

namespace jkjav::app {
namespace {

using ::testing::_;
using ::testing::InSequence;
using ::testing::NiceMock;
using ::testing::Return;
using ::testing::SizeIs;
using ::testing::StrictMock;

ConsumedBatch batchOf(std::size_t events, std::size_t malformed = 0) {
    ConsumedBatch batch;
    for (std::size_t i = 0; i < events; ++i) {
        batch.events.push_back(
            {"jkjav-" + std::to_string(i), "booking.created", "2021-05-26T01:02:03Z", {}, ""});
    }
    batch.malformed = malformed;
    return batch;
}

RecordResult stored(std::size_t created) { return {.stored = true, .created = created}; }

class EventRecorderTest : public ::testing::Test {
  protected:
    StrictMock<testing::MockEventSource> source_;
    StrictMock<testing::MockBookingRecord> record_;
    NiceMock<testing::MockRecorderObserver> observer_;
    testing::ManualMonotonicClock clock_;
    EventRecorder recorder_{source_,
                            record_,
                            observer_,
                            clock_,
                            {.batchMax = 10,
                             .backoffInitial = std::chrono::milliseconds(1),
                             .backoffMax = std::chrono::milliseconds(2)}};
    std::stop_source stop_;
};

TEST_F(EventRecorderTest, CommitsOffsetsOnlyAfterTheStoreCommitted) {
    InSequence order;
    EXPECT_CALL(source_, next(10, _)).WillOnce(Return(batchOf(3)));
    EXPECT_CALL(record_, record(SizeIs(3))).WillOnce(Return(stored(3)));
    EXPECT_CALL(source_, commit()).WillOnce(Return(true));
    EXPECT_CALL(source_, lag()).WillOnce(Return(0));
    EXPECT_EQ(recorder_.step(stop_.get_token()), StepOutcome::kCommitted);
}

TEST_F(EventRecorderTest, RetriesTheSameBatchWhileTheStoreIsAwayAndCommitsOnce) {
    InSequence order;
    EXPECT_CALL(source_, next(_, _)).WillOnce(Return(batchOf(2)));
    EXPECT_CALL(record_, record(SizeIs(2))).Times(2).WillRepeatedly(Return(RecordResult{}));
    EXPECT_CALL(record_, record(SizeIs(2))).WillOnce(Return(stored(2)));
    EXPECT_CALL(source_, commit()).WillOnce(Return(true));
    EXPECT_CALL(source_, lag()).WillOnce(Return(std::nullopt));
    EXPECT_EQ(recorder_.step(stop_.get_token()), StepOutcome::kCommitted);
}

TEST_F(EventRecorderTest, StopWhileTheStoreIsAwayLeavesTheBatchUncommitted) {
    EXPECT_CALL(source_, next(_, _)).WillOnce(Return(batchOf(2)));
    EXPECT_CALL(record_, record(_)).WillOnce([&](auto) {
        stop_.request_stop();
        return RecordResult{};
    });
    EXPECT_CALL(source_, commit()).Times(0);
    EXPECT_EQ(recorder_.step(stop_.get_token()), StepOutcome::kAbandoned);
}

TEST_F(EventRecorderTest, StopRequestedMeanwhileStillFinishesTheBatchInHand) {
    EXPECT_CALL(source_, next(_, _)).WillOnce([&](auto, auto) {
        stop_.request_stop();  // SIGTERM while the batch was being read
        return batchOf(1);
    });
    EXPECT_CALL(record_, record(_)).WillOnce(Return(stored(1)));
    EXPECT_CALL(source_, commit()).WillOnce(Return(true));
    EXPECT_CALL(source_, lag()).WillOnce(Return(0));
    recorder_.run(stop_.get_token());
}

TEST_F(EventRecorderTest, OnlyMalformedMessagesAreCommittedWithoutTouchingTheStore) {
    EXPECT_CALL(source_, next(_, _)).WillOnce(Return(batchOf(0, 2)));
    EXPECT_CALL(observer_, malformedSkipped(2));
    EXPECT_CALL(source_, commit()).WillOnce(Return(true));
    EXPECT_CALL(source_, lag()).WillOnce(Return(0));
    EXPECT_EQ(recorder_.step(stop_.get_token()), StepOutcome::kCommitted);
}

TEST_F(EventRecorderTest, NothingArrivedNothingCommitted) {
    EXPECT_CALL(source_, next(_, _)).WillOnce(Return(ConsumedBatch{}));
    EXPECT_CALL(source_, lag()).WillOnce(Return(5));
    EXPECT_CALL(observer_, lagMeasured(std::optional<long long>(5)));
    EXPECT_EQ(recorder_.step(stop_.get_token()), StepOutcome::kIdle);
}

TEST_F(EventRecorderTest, ReportsEachCommittedBatchWithItsSize) {
    EXPECT_CALL(source_, next(_, _)).WillOnce(Return(batchOf(4)));
    EXPECT_CALL(record_, record(_)).WillOnce(Return(stored(4)));
    EXPECT_CALL(source_, commit()).WillOnce(Return(false));  // not confirmed: a redelivery, harmless
    EXPECT_CALL(source_, lag()).WillOnce(Return(0));
    EXPECT_CALL(observer_, batchRecorded(4, _, _));
    EXPECT_CALL(observer_, storeFailed()).Times(0);
    EXPECT_EQ(recorder_.step(stop_.get_token()), StepOutcome::kCommitted);
}

}  // namespace
}  // namespace jkjav::app
