#include "app/booking_service.hpp"

#include <gtest/gtest.h>

#include "case_names.hpp"
#include "mocks.hpp"
#include "run_awaitable.hpp"

namespace jkjav::app {
namespace {

using ::testing::_;
using testing::FixedClock;
using testing::MockBookingStore;
using ::testing::Return;
using testing::runAwaitable;
using ::testing::StrictMock;

domain::BookingForm form(std::string date = "20210516", std::string location = "PWTC") {
    return {"900127-01-5527",    "Fadhil",      "Yaacob",        "Kuala Lumpur",
            std::move(location), "012-3456789", std::move(date), {}};
}

domain::Booking stored(std::string reference) {
    return {"900127015527",
            "Fadhil",
            "Yaacob",
            "Kuala Lumpur",
            "PWTC",
            "+60123456789",
            "20210516",
            std::move(reference),
            "2021-05-26T01:02:03Z"};
}

class BookingServiceTest : public ::testing::Test {
  protected:
    domain::Campaign campaign_ = testing::pwtcCampaign();
    StrictMock<MockBookingStore> store_;
    FixedClock clock_{testing::kMay26()};
    BookingService service_{campaign_, store_, clock_};
};

TEST_F(BookingServiceTest, StoresTheNormalisedBookingWithTheClocksTime) {
    EXPECT_CALL(store_, bookNow(_, std::string_view("PWTC:20210516"), false))
        .WillOnce([](const domain::Booking& draft, std::string_view, bool) {
            EXPECT_EQ(draft.mysejahteraId, "900127015527");
            EXPECT_EQ(draft.phoneNumber, "+60123456789");
            EXPECT_EQ(draft.createdAt, "2021-05-26T01:02:03Z");
            EXPECT_TRUE(draft.reference.empty());
            StoreResult result{domain::Outcome::kBooked, draft};
            result.booking.reference = "JK0000000001";
            return result;
        });
    const auto outcome = runAwaitable(service_.book(form()));
    ASSERT_TRUE(std::holds_alternative<BookingConfirmed>(outcome));
    EXPECT_EQ(std::get<BookingConfirmed>(outcome).booking, stored("JK0000000001"));
    EXPECT_FALSE(std::get<BookingConfirmed>(outcome).alreadyHeld);
}

TEST_F(BookingServiceTest, InvalidFormsNeverReachTheStore) {
    auto bad = form();
    bad.phoneNumber = "12";
    bad.firstName = "";
    const auto outcome = runAwaitable(service_.book(bad));  // StrictMock: any store call fails the test
    const auto& refused = std::get<BookingRefused>(outcome);
    EXPECT_EQ(refused.outcome, domain::Outcome::kInvalidRequest);
    EXPECT_EQ(refused.errors.size(), 2u);
}

TEST_F(BookingServiceTest, SlotsTheCampaignDoesNotOfferNeverReachTheStore) {
    for (const auto& [date, location] :
         {std::pair{"20210518", "PWTC"}, std::pair{"20210516", "UM"}, std::pair{"20210516", "KLCC"}}) {
        const auto outcome = runAwaitable(service_.book(form(date, location)));
        EXPECT_EQ(std::get<BookingRefused>(outcome).outcome, domain::Outcome::kUnknownSlot)
            << location << date;
    }
}

struct OutcomeCase {
    const char* label;  // the store's outcome, named
    domain::Outcome storeSays;
    std::optional<domain::Outcome> refusedAs;  // nullopt: confirmed
    bool alreadyHeld;
};

void PrintTo(const OutcomeCase& c, std::ostream* os) {
    *os << "the store says " << c.label << " -> ";
    if (c.refusedAs) {
        *os << "refused as " << domain::spellingOf(*c.refusedAs).code;
    } else {
        *os << "confirmed" << (c.alreadyHeld ? ", already held" : "");
    }
}

class StoreOutcomeMapping : public ::testing::TestWithParam<OutcomeCase> {};

TEST_P(StoreOutcomeMapping, BecomesTheRightAnswer) {
    const domain::Campaign campaign = testing::pwtcCampaign();
    StrictMock<MockBookingStore> store;
    FixedClock clock{testing::kMay26()};
    BookingService service{campaign, store, clock};
    const bool confirmed = !GetParam().refusedAs.has_value();
    EXPECT_CALL(store, bookNow(_, _, _))
        .WillOnce(Return(StoreResult{GetParam().storeSays, confirmed ? stored("JK1") : domain::Booking{}}));

    const auto outcome = runAwaitable(service.book(form()));
    if (confirmed) {
        ASSERT_TRUE(std::holds_alternative<BookingConfirmed>(outcome));
        EXPECT_EQ(std::get<BookingConfirmed>(outcome).alreadyHeld, GetParam().alreadyHeld);
    } else {
        ASSERT_TRUE(std::holds_alternative<BookingRefused>(outcome));
        EXPECT_EQ(std::get<BookingRefused>(outcome).outcome, *GetParam().refusedAs);
    }
}

INSTANTIATE_TEST_SUITE_P(
    StoreOutcomes, StoreOutcomeMapping,
    ::testing::Values(
        OutcomeCase{"Booked", domain::Outcome::kBooked, std::nullopt, false},
        OutcomeCase{"AlreadyHeld", domain::Outcome::kAlreadyHeld, std::nullopt, true},
        OutcomeCase{"AlreadyBooked", domain::Outcome::kAlreadyBooked, domain::Outcome::kAlreadyBooked, false},
        OutcomeCase{"Full", domain::Outcome::kFull, domain::Outcome::kFull, false},
        OutcomeCase{"UnknownSlot", domain::Outcome::kUnknownSlot, domain::Outcome::kUnknownSlot, false},
        OutcomeCase{"AlreadyWaitlisted", domain::Outcome::kAlreadyWaitlisted,
                    domain::Outcome::kAlreadyWaitlisted, false},
        OutcomeCase{"NotSeeded", domain::Outcome::kNotSeeded, domain::Outcome::kNotSeeded, false},
        OutcomeCase{"Unavailable", domain::Outcome::kStoreUnavailable, domain::Outcome::kStoreUnavailable,
                    false}),
    jkjav::testing::ByLabel());

TEST_F(BookingServiceTest, AFullSlotWithWaitlistGivesAPlaceInTheQueue) {
    auto request = form();
    request.waitlist = true;
    EXPECT_CALL(store_, bookNow(_, std::string_view("PWTC:20210516"), true))
        .WillOnce(Return(StoreResult{domain::Outcome::kWaitlisted, {}, 4}));
    const auto outcome = runAwaitable(service_.book(request));
    const auto& waitlisted = std::get<BookingWaitlisted>(outcome);
    EXPECT_EQ(waitlisted.position, 4);
    EXPECT_EQ(waitlisted.location, "PWTC");
    EXPECT_EQ(waitlisted.date, "20210516");
}

TEST(BookingServiceEligibility, RefusesWhoTheCampaignExcludesWithoutAskingTheStore) {
    const domain::Campaign seniorsOnly("seniors", {}, {{"PWTC", "PWTC", "", {{{2021, 5, 16}, 10}}}},
                                       domain::Eligibility{60, {2021, 5, 26}, std::nullopt});
    StrictMock<MockBookingStore> store;  // any call fails the test
    FixedClock clock{testing::kMay26()};
    BookingService service{seniorsOnly, store, clock};
    for (const char* id :
         {"900127015527", "A12345678", "610527015527"}) {  // 31, a passport, 59 years 364 days
        auto request = form();
        request.mysejahteraId = id;
        const auto outcome = runAwaitable(service.book(request));
        ASSERT_TRUE(std::holds_alternative<BookingRefused>(outcome)) << id;
        EXPECT_EQ(std::get<BookingRefused>(outcome).outcome, domain::Outcome::kNotEligible) << id;
    }
}

TEST_F(BookingServiceTest, LookupNormalisesTheIdAndPhoneAndHidesWhetherTheIdExists) {
    EXPECT_CALL(store_, findNow("900127015527", "+60123456789"))
        .WillOnce(Return(FindResult{domain::Outcome::kFound, stored("JK1")}));
    EXPECT_CALL(store_, findNow("900127015528", "+60123456789"))
        .WillOnce(Return(FindResult{domain::Outcome::kNotFound}));
    EXPECT_EQ(std::get<BookingFound>(runAwaitable(service_.find("900127-01-5527", "012-3456789"))).booking,
              stored("JK1"));
    EXPECT_EQ(std::get<BookingRefused>(runAwaitable(service_.find("900127015528", "0123456789"))).outcome,
              domain::Outcome::kNotFound);
}

TEST_F(BookingServiceTest, LookupAndCancelRefuseMalformedInputWithoutAskingTheStore) {
    const auto refused = std::get<BookingRefused>(runAwaitable(service_.cancel("9001", "12")));
    EXPECT_EQ(refused.outcome, domain::Outcome::kInvalidRequest);
    EXPECT_EQ(refused.errors.size(), 2u);
}

TEST_F(BookingServiceTest, CancelStampsTheTimeAndReportsWhoGotTheSlot) {
    EXPECT_CALL(store_, cancelNow("900127015527", "+60123456789", "2021-05-26T01:02:03Z"))
        .WillOnce(Return(FindResult{domain::Outcome::kFound, stored("JK1"), "580101015527"}));
    const auto found = std::get<BookingFound>(runAwaitable(service_.cancel("900127015527", "0123456789")));
    EXPECT_EQ(found.promotedPersonId, "580101015527");
    EXPECT_CALL(store_, cancelNow(_, _, _)).WillOnce(Return(FindResult{domain::Outcome::kStoreUnavailable}));
    EXPECT_EQ(std::get<BookingRefused>(runAwaitable(service_.cancel("900127015527", "0123456789"))).outcome,
              domain::Outcome::kStoreUnavailable);
}

// The observer (metrics) hears every answer of book() once, refusals before the store included,
// and cancellations only when one took effect.
class RecordingObserver final : public BookingObserver {
  public:
    void decided(domain::Outcome outcome) override { heard.push_back(outcome); }
    std::vector<domain::Outcome> heard;
};

TEST(BookingServiceObserver, HearsEveryDecisionOnce) {
    const domain::Campaign campaign = testing::pwtcCampaign();
    StrictMock<MockBookingStore> store;
    FixedClock clock{testing::kMay26()};
    RecordingObserver observer;
    BookingService service{campaign, store, clock, observer};
    using domain::Outcome;

    auto invalid = form();
    invalid.phoneNumber = "12";
    runAwaitable(service.book(invalid));
    runAwaitable(service.book(form("20210518")));  // a date the campaign does not offer
    EXPECT_CALL(store, bookNow(_, _, _))
        .WillOnce(Return(StoreResult{Outcome::kBooked, stored("JK1")}))
        .WillOnce(Return(StoreResult{Outcome::kAlreadyHeld, stored("JK1")}))
        .WillOnce(Return(StoreResult{Outcome::kFull}));
    runAwaitable(service.book(form()));
    runAwaitable(service.book(form()));
    runAwaitable(service.book(form()));
    EXPECT_CALL(store, cancelNow(_, _, _))
        .WillOnce(Return(FindResult{Outcome::kCancelled, stored("JK1")}))
        .WillOnce(Return(FindResult{Outcome::kNotFound}));
    runAwaitable(service.cancel("900127015527", "0123456789"));
    runAwaitable(service.cancel("900127015527", "0123456789"));
    runAwaitable(service.find("900127-01-5527", "12"));  // lookups are not booking decisions

    EXPECT_EQ(observer.heard,
              (std::vector<Outcome>{Outcome::kInvalidRequest, Outcome::kUnknownSlot, Outcome::kBooked,
                                    Outcome::kAlreadyHeld, Outcome::kFull, Outcome::kCancelled}));
}

TEST(Rfc3339, FormatsUtcSeconds) { EXPECT_EQ(formatRfc3339(testing::kMay26()), "2021-05-26T01:02:03Z"); }

}  // namespace
}  // namespace jkjav::app
