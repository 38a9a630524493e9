// The waiting room's use case against gmock'd ports: what each state answers, which answers need the
// store and which come from the snapshot, and the booking gate.
#include "app/queue_service.hpp"

#include <gtest/gtest.h>

#include "app/booking_service.hpp"
#include "mocks.hpp"
#include "queue_mocks.hpp"
#include "run_awaitable.hpp"

namespace jkjav::app {
namespace {

using domain::Outcome;
using domain::QueueState;
using ::testing::_;
using testing::MockQueueStore;
using testing::PlainTickets;
using testing::runAwaitable;
using ::testing::StrictMock;

constexpr std::int64_t kNowMs = 1621990923000;  // testing::kMay26()

class QueueServiceTest : public ::testing::Test {
  protected:
    void publish(QueueFigures figures, double rate = 100, double slotsTaken = 0,
                 std::shared_ptr<const QueueDraw> draw = nullptr) {
        auto snapshot = std::make_shared<QueueSnapshot>();
        snapshot->figures = figures;
        snapshot->admitPerSecond = rate;
        snapshot->slotsTakenPerSecond = slotsTaken;
        snapshot->draw = std::move(draw);
        snapshot->takenAt = std::chrono::steady_clock::now();
        snapshots_.replace(std::move(snapshot));
    }
    static QueueFigures figures(std::int64_t admittedUpTo, std::int64_t remaining,
                                std::int64_t preQueued = 0) {
        return {.nowMs = kNowMs,
                .admittedUpTo = admittedUpTo,
                .length = 1000,
                .preQueued = preQueued,
                .outstanding = 0,
                .remaining = remaining};
    }
    QueueAnswer answered(const QueueOutcome& outcome) {
        EXPECT_TRUE(std::holds_alternative<QueueAnswer>(outcome));
        return std::holds_alternative<QueueAnswer>(outcome) ? std::get<QueueAnswer>(outcome) : QueueAnswer{};
    }
    Outcome refusedWith(const QueueOutcome& outcome) {
        EXPECT_TRUE(std::holds_alternative<QueueRefused>(outcome));
        return std::holds_alternative<QueueRefused>(outcome) ? std::get<QueueRefused>(outcome).outcome
                                                             : Outcome::kFound;
    }

    domain::QueueSettings settings_{.opensAtMs = kNowMs - 60'000,
                                    .preQueueOpensAtMs = 0,
                                    .admitPerSecond = 100,
                                    .admissionSeconds = 600,
                                    .overAdmitFactor = 1.2};
    domain::Campaign campaign_ = testing::pwtcCampaign();
    StrictMock<MockQueueStore> store_;
    PlainTickets tickets_;
    testing::FixedClock clock_{testing::kMay26()};
    QueueSnapshotSlot snapshots_;
    QueueService service_{campaign_, settings_, store_, tickets_, clock_, snapshots_, 7};
};

TEST_F(QueueServiceTest, JoinChecksTheIdBeforeTheStore) {
    const auto outcome = runAwaitable(service_.join("12345"));
    ASSERT_EQ(refusedWith(outcome), Outcome::kInvalidRequest);
    EXPECT_EQ(std::get<QueueRefused>(outcome).errors.front().field, "mysejahteraId");
}

TEST_F(QueueServiceTest, JoinJudgesEligibilityBeforeTheStore) {
    campaign_ = domain::Campaign("seniors", {}, campaign_.locations(),
                                 domain::Eligibility{.minAgeYears = 60, .referenceDate = {2021, 5, 26}});
    EXPECT_EQ(refusedWith(runAwaitable(service_.join("900127-01-5527"))), Outcome::kNotEligible);
}

TEST_F(QueueServiceTest, JoinAfterOpeningAnswersThePlaceInLine) {
    EXPECT_CALL(store_, joinNow("m-900127015527", "900127015527")).WillOnce([](std::string, std::string) {
        return QueueJoinResult{Outcome::kFound, {.rank = 250, .admissionExpiresAtMs = -1}, figures(50, 10)};
    });
    const auto answer = answered(runAwaitable(service_.join("900127-01-5527")));
    EXPECT_EQ(answer.state, QueueState::kWaiting);
    EXPECT_EQ(answer.ahead, 200);
    EXPECT_EQ(answer.estimatedWaitSeconds, 3);  // 201 at the configured 100/s (no snapshot yet)
    EXPECT_EQ(answer.retryAfterSeconds, 1);
    EXPECT_EQ(answer.ticket, "m-900127015527:250:1621990923000:3") << "joined at, and the estimate told";
}

TEST_F(QueueServiceTest, AJoinerHoldingABookingIsToldSo) {
    EXPECT_CALL(store_, joinNow(_, _)).WillOnce([](std::string, std::string) {
        return QueueJoinResult{Outcome::kAlreadyBooked, {}, {}};
    });
    EXPECT_EQ(refusedWith(runAwaitable(service_.join("900127-01-5527"))), Outcome::kAlreadyBooked);
}

TEST_F(QueueServiceTest, AJoinBeforeThePreQueueOpensSaysWhen) {
    settings_.preQueueOpensAtMs = kNowMs + 90'500;
    QueueService early{campaign_, settings_, store_, tickets_, clock_, snapshots_, 7};
    EXPECT_CALL(store_, joinNow(_, _)).WillOnce([](std::string, std::string) {
        return QueueJoinResult{Outcome::kQueueNotOpen, {}, {.nowMs = kNowMs}};
    });
    const auto outcome = runAwaitable(early.join("900127-01-5527"));
    ASSERT_EQ(refusedWith(outcome), Outcome::kQueueNotOpen);
    EXPECT_EQ(std::get<QueueRefused>(outcome).retryAfterSeconds, 91);
}

TEST_F(QueueServiceTest, BeforeOpeningEveryoneIsInTheDraw) {
    settings_.opensAtMs = kNowMs + 30'000;
    QueueService before{campaign_, settings_, store_, tickets_, clock_, snapshots_, 7};
    publish(figures(0, 100, 41));
    const auto answer = answered(runAwaitable(before.status("m-x:-1")));  // no store call: StrictMock
    EXPECT_EQ(answer.state, QueueState::kPrequeue);
    EXPECT_EQ(answer.ahead, 40);
    EXPECT_EQ(answer.estimatedWaitSeconds, 30 + 1);  // until opening, then the middle of the draw at 100/s
    EXPECT_EQ(answer.retryAfterSeconds, 30 + 1) << "a second after opening: the draw is published then";
}

TEST_F(QueueServiceTest, WaitingIsAnsweredFromTheSnapshot) {
    publish(figures(1000, 1'000'000), 2000);  // far from selling out: polls by place alone
    const auto answer = answered(runAwaitable(service_.status("m-x:201000")));  // no store call
    EXPECT_EQ(answer.state, QueueState::kWaiting);
    EXPECT_EQ(answer.ahead, 200000);
    EXPECT_EQ(answer.estimatedWaitSeconds, 101);  // 200,001 at the measured 2,000/s
    EXPECT_EQ(answer.retryAfterSeconds, 50);
    EXPECT_EQ(answer.ticket, "m-x:201000");
}

TEST_F(QueueServiceTest, RetryAfterNeverExceedsHalfTheTimeUntilTheQueueCouldClose) {
    // 200,000 ahead at 2,000/s would poll every 50 s; 20,000 slots left at that rate close in 10 s.
    publish(figures(1000, 20'000), 2000);
    EXPECT_EQ(answered(runAwaitable(service_.status("m-x:201000"))).retryAfterSeconds, 5);
    // Slots taken faster than admissions are given (the admitted book): that rate decides.
    publish(figures(1000, 20'000), 2000, 10'000);
    EXPECT_EQ(answered(runAwaitable(service_.status("m-x:201000"))).retryAfterSeconds, 1);
    // Little left: everyone polls every second, so a sell-out reaches them all within 2 s.
    publish(figures(1000, 300), 2000);
    EXPECT_EQ(answered(runAwaitable(service_.status("m-x:900000"))).retryAfterSeconds, 1);
}

TEST_F(QueueServiceTest, SoldOutClosesEveryWaitingTicketFromTheSnapshot) {
    publish(figures(1000, 0));
    const auto answer = answered(runAwaitable(service_.status("m-x:5000")));
    EXPECT_EQ(answer.state, QueueState::kClosed);
    EXPECT_EQ(answer.reason, "SOLD_OUT");
    EXPECT_TRUE(answer.waitlist) << "offered by default";
    EXPECT_EQ(answer.retryAfterSeconds, kClosedPollSeconds) << "slots may come back";
}

TEST_F(QueueServiceTest, TheWaitlistIsOfferedOnlyWhereTheCampaignAllowsIt) {
    settings_.offerWaitlist = false;
    QueueService noWaitlist{campaign_, settings_, store_, tickets_, clock_, snapshots_, 7};
    publish(figures(1000, 0));
    const auto answer = answered(runAwaitable(noWaitlist.status("m-x:5000")));
    EXPECT_EQ(answer.reason, "SOLD_OUT");
    EXPECT_FALSE(answer.waitlist);
}

TEST_F(QueueServiceTest, ThePublishedDrawAnswersPreQueueTicketsWithoutTheStore) {
    const auto draw = std::make_shared<const QueueDraw>(std::vector<std::string>{"m-a", "m-x", "m-b", "m-c"});
    publish(figures(1, 500, 4), 100, 0, draw);
    const auto answer = answered(runAwaitable(service_.status("m-x:-1")));  // StrictMock: no store call
    EXPECT_EQ(answer.state, QueueState::kWaiting);
    EXPECT_EQ(answer.ahead, 0);
    EXPECT_EQ(answer.ticket, "m-x:1") << "the refreshed ticket carries the drawn rank";
    EXPECT_EQ(answered(runAwaitable(service_.status("m-c:-1"))).ahead, 2);
    // Drawn ahead of the head: the store says whether the admission holds; the ticket still gains
    // the place.
    EXPECT_CALL(store_, placeNow("m-a")).WillOnce([](std::string) {
        return QueuePlaceResult{true, {.rank = 0, .admissionExpiresAtMs = kNowMs + 5000}, figures(1, 500, 4)};
    });
    const auto admitted = answered(runAwaitable(service_.status("m-a:-1")));
    EXPECT_EQ(admitted.state, QueueState::kAdmitted);
    EXPECT_EQ(admitted.ticket, "m-a:0:a") << "placed, and marked as its first admitted answer";
}

TEST_F(QueueServiceTest, WhileTheDrawIsBeingPublishedPreQueueTicketsComeBackInASecond) {
    settings_.opensAtMs = kNowMs - 1000;
    QueueService justOpened{campaign_, settings_, store_, tickets_, clock_, snapshots_, 7};
    publish(figures(0, 500, 10));                                             // no draw yet
    const auto answer = answered(runAwaitable(justOpened.status("m-x:-1")));  // no store call
    EXPECT_EQ(answer.state, QueueState::kPrequeue);
    EXPECT_EQ(answer.retryAfterSeconds, 1);
}

TEST_F(QueueServiceTest, AtTheHeadTheStoreSaysWhetherTheAdmissionHolds) {
    publish(figures(1000, 500));
    EXPECT_CALL(store_, placeNow("m-x"))
        .WillOnce([](std::string) {
            return QueuePlaceResult{
                true, {.rank = 10, .admissionExpiresAtMs = kNowMs + 12'000}, figures(1000, 500)};
        })
        .WillOnce([](std::string) {
            return QueuePlaceResult{true, {.rank = 10, .admissionExpiresAtMs = -1}, figures(1000, 500)};
        });
    const auto admitted = answered(runAwaitable(service_.status("m-x:10")));
    EXPECT_EQ(admitted.state, QueueState::kAdmitted);
    EXPECT_EQ(admitted.ahead, 0);
    EXPECT_EQ(admitted.retryAfterSeconds, 12);
    EXPECT_EQ(admitted.ticket, "m-x:10:a") << "marked: its admission was answered";
    const auto ended = answered(runAwaitable(service_.status("m-x:10")));
    EXPECT_EQ(ended.state, QueueState::kClosed);
    EXPECT_EQ(ended.reason, "ADMISSION_ENDED");
}

TEST_F(QueueServiceTest, AfterTheDrawATicketLearnsItsRankOnce) {
    publish(figures(0, 500, 10));
    EXPECT_CALL(store_, placeNow("m-x")).WillOnce([](std::string) {
        return QueuePlaceResult{true, {.rank = 7, .admissionExpiresAtMs = -1}, figures(0, 500, 10)};
    });
    const auto answer = answered(runAwaitable(service_.status("m-x:-1")));
    EXPECT_EQ(answer.state, QueueState::kWaiting);
    EXPECT_EQ(answer.ticket, "m-x:7") << "the refreshed ticket carries the rank";
}

TEST_F(QueueServiceTest, ForgedTicketsAndAnUnansweringStoreAreRefused) {
    EXPECT_EQ(refusedWith(runAwaitable(service_.status("forged:1"))), Outcome::kInvalidTicket);
    EXPECT_CALL(store_, placeNow(_)).WillOnce([](std::string) { return QueuePlaceResult{}; });
    EXPECT_EQ(refusedWith(runAwaitable(service_.status("m-x:3"))), Outcome::kStoreUnavailable);
}

// Records what the service tells its observer.
struct RecordingObserver final : QueueObserver {
    void joinDecided(Outcome outcome) override { joins.push_back(outcome); }
    void firstAdmitted(double error) override { errors.push_back(error); }
    std::vector<Outcome> joins;
    std::vector<double> errors;
};

TEST_F(QueueServiceTest, EveryJoinIsObservedOnceWithItsOutcome) {
    campaign_ = domain::Campaign("seniors", {}, campaign_.locations(),
                                 domain::Eligibility{.minAgeYears = 60, .referenceDate = {2021, 5, 26}});
    RecordingObserver observer;
    QueueService observed{campaign_, settings_, store_, tickets_, clock_, snapshots_, 7, observer};
    EXPECT_CALL(store_, joinNow(_, _))
        .WillOnce([](std::string, std::string) {
            return QueueJoinResult{Outcome::kFound, {.rank = 3}, figures(0, 10)};
        })
        .WillOnce([](std::string, std::string) {
            return QueueJoinResult{Outcome::kAlreadyBooked, {}, {}};
        })
        .WillOnce([](std::string, std::string) {
            return QueueJoinResult{Outcome::kQueueNotOpen, {}, {.nowMs = kNowMs}};
        })
        .WillOnce([](std::string, std::string) { return QueueJoinResult{}; });  // the store did not answer
    runAwaitable(observed.join("12345"));
    runAwaitable(observed.join("900127-01-5527"));  // too young
    for (int i = 0; i < 4; ++i) runAwaitable(observed.join("500127-01-5527"));
    EXPECT_EQ(observer.joins, (std::vector<Outcome>{Outcome::kInvalidRequest, Outcome::kNotEligible,
                                                    Outcome::kFound, Outcome::kAlreadyBooked,
                                                    Outcome::kQueueNotOpen, Outcome::kStoreUnavailable}));
    EXPECT_TRUE(observer.errors.empty());
}

TEST_F(QueueServiceTest, JoiningAgainGivesTheSameTicketWhateverTheQueueDidMeanwhile) {
    EXPECT_CALL(store_, joinNow(_, _))
        .WillOnce([](std::string, std::string) {
            return QueueJoinResult{Outcome::kFound, {.rank = 250}, figures(50, 10)};
        })
        .WillOnce([](std::string, std::string) {
            auto later = figures(150, 10);
            later.nowMs += 30'000;
            return QueueJoinResult{Outcome::kFound, {.rank = 250}, later};
        });
    const auto first = answered(runAwaitable(service_.join("900127-01-5527")));
    const auto again = answered(runAwaitable(service_.join("900127-01-5527")));
    EXPECT_EQ(again.ticket, first.ticket) << "the first join's time and estimate, kept by the store";
    EXPECT_EQ(again.estimatedWaitSeconds, 2) << "while the answer tells the wait of now: 101 at 100/s";
}

TEST_F(QueueServiceTest, TheFirstAdmittedAnswerMeasuresTheEstimatesErrorOnce) {
    RecordingObserver observer;
    QueueService observed{campaign_, settings_, store_, tickets_, clock_, snapshots_, 7, observer};
    publish(figures(1000, 500));
    // Admitted 600 - 12 = 588 s ago (admissions last 600 s); joined 648 s ago, told 40 s: waited 60.
    EXPECT_CALL(store_, placeNow("m-x")).WillRepeatedly([](std::string) {
        return QueuePlaceResult{
            true, {.rank = 10, .admissionExpiresAtMs = kNowMs + 12'000}, figures(1000, 500)};
    });
    const std::string joinedAt = std::to_string(kNowMs - 648'000);
    const auto first = answered(runAwaitable(observed.status("m-x:10:" + joinedAt + ":40")));
    ASSERT_EQ(first.state, QueueState::kAdmitted);
    ASSERT_EQ(observer.errors.size(), 1u);
    EXPECT_DOUBLE_EQ(observer.errors[0], 0.5) << "(60 - 40) / 40";
    EXPECT_EQ(first.ticket, "m-x:10:" + joinedAt + ":40:a");
    const auto again = answered(runAwaitable(observed.status(first.ticket)));
    EXPECT_EQ(again.state, QueueState::kAdmitted);
    EXPECT_EQ(again.ticket, first.ticket);
    EXPECT_EQ(observer.errors.size(), 1u) << "once per ticket";
}

TEST(QueueDrawTable, FindsEveryPublishedMemberAndNoOther) {
    std::vector<std::string> members;
    for (int i = 0; i < 1000; ++i) members.push_back("member-" + std::to_string((i * 7919) % 1000));
    const QueueDraw draw(members);
    EXPECT_EQ(draw.size(), 1000U);
    for (std::int64_t rank = 0; rank < 1000; ++rank) {
        ASSERT_EQ(draw.rankOf(members[static_cast<std::size_t>(rank)]), rank) << members[rank];
    }
    EXPECT_FALSE(draw.rankOf("member-1000").has_value());
    EXPECT_FALSE(draw.rankOf("").has_value());
    EXPECT_FALSE(draw.rankOf("member-").has_value());
    EXPECT_FALSE(QueueDraw({}).rankOf("member-1").has_value());
}

TEST(QueuePass, OnlyThePersonsOwnGenuineTicketPasses) {
    const PlainTickets tickets;
    auto outcomeOf = [&](std::optional<std::string_view> ticket) {
        auto pass = queuePassFor(tickets, ticket, "900127015527");
        return std::holds_alternative<Outcome>(pass) ? std::get<Outcome>(pass) : Outcome::kFound;
    };
    EXPECT_EQ(outcomeOf(std::nullopt), Outcome::kQueueRequired);
    EXPECT_EQ(outcomeOf(""), Outcome::kQueueRequired);
    EXPECT_EQ(outcomeOf("forged:1"), Outcome::kInvalidTicket);
    EXPECT_EQ(outcomeOf("m-800101015555:1"), Outcome::kQueueRequired) << "another person's";
    EXPECT_EQ(std::get<std::string>(queuePassFor(tickets, "m-900127015527:1", "900127015527")),
              "m-900127015527");
}

TEST(QueueGate, ABookingWithoutATicketNeverReachesTheStore) {
    domain::Campaign campaign = testing::pwtcCampaign();
    campaign.setQueue(domain::QueueSettings{.opensAtMs = 0});
    StrictMock<testing::MockBookingStore> store;
    const PlainTickets tickets;
    const testing::FixedClock clock{testing::kMay26()};
    BookingService bookings{campaign, store, clock, noBookingObserver(), &tickets};
    const domain::BookingForm form{"900127-01-5527", "Fadhil",      "Yaacob",   "KL",
                                   "PWTC",           "012-3456789", "20210516", {}};
    const auto refused = runAwaitable(bookings.book(form));
    ASSERT_TRUE(std::holds_alternative<BookingRefused>(refused));
    EXPECT_EQ(std::get<BookingRefused>(refused).outcome, Outcome::kQueueRequired);

    EXPECT_CALL(store, bookNow(_, _, false))
        .WillOnce([](const domain::Booking& draft, std::string_view, bool) {
            return StoreResult{Outcome::kQueueRequired, draft};  // e.g. not admitted yet: the store's say
        });
    const auto notYet = runAwaitable(bookings.book(form, "m-900127015527:3"));
    EXPECT_EQ(store.lastQueueMember, "m-900127015527") << "the store checks the admission";
    ASSERT_TRUE(std::holds_alternative<BookingRefused>(notYet));
    EXPECT_EQ(std::get<BookingRefused>(notYet).outcome, Outcome::kQueueRequired);
    EXPECT_FALSE(store.lastWaitlistInLine) << "a booking always needs the admission";

    // A waitlist place: the store may let a person in line through while the campaign is sold out.
    domain::BookingForm waitlist = form;
    waitlist.waitlist = true;
    EXPECT_CALL(store, bookNow(_, _, true))
        .WillOnce([](const domain::Booking& draft, std::string_view, bool) {
            return StoreResult{Outcome::kQueueRequired, draft};
        });
    runAwaitable(bookings.book(waitlist, "m-900127015527:3"));
    EXPECT_TRUE(store.lastWaitlistInLine);
}

}  // namespace
}  // namespace jkjav::app
