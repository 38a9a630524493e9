#include "app/reconciliation.hpp"

#include <gtest/gtest.h>

#include "case_names.hpp"

namespace jkjav::app {
namespace {

domain::Booking booking(const std::string& person, const std::string& reference,
                        const std::string& location = "PWTC", const std::string& date = "20210516") {
    return {.mysejahteraId = person,
            .firstName = "Fadhil",
            .lastName = "Yaacob",
            .address = "Kuala Lumpur",
            .location = location,
            .phoneNumber = "+60123456789",
            .date = date,
            .reference = reference,
            .createdAt = "2021-05-26T01:02:03Z"};
}

LedgerView agreeing() {
    return {.active = {booking("900127015527", "JK1"), booking("900127015528", "JK2")},
            .booked = {{"PWTC:20210516", 2}}};
}

struct Plant {
    std::string label;
    void (*change)(LedgerView& redis, LedgerView& record);
    DifferenceKind kind;
    std::string person;
    std::string field;
    friend void PrintTo(const Plant& plant, std::ostream* out) { *out << plant.label; }
};

class EachDifference : public ::testing::TestWithParam<Plant> {};

TEST_P(EachDifference, IsReportedAndNothingElse) {
    LedgerView redis = agreeing();
    LedgerView record = agreeing();
    GetParam().change(redis, record);
    const auto differences = reconcile(redis, record, {});
    std::vector<Difference> ofKind;
    for (const auto& d : differences) {
        if (d.kind == GetParam().kind) ofKind.push_back(d);
    }
    ASSERT_EQ(ofKind.size(), 1u);
    EXPECT_EQ(ofKind[0].person, GetParam().person);
    EXPECT_EQ(ofKind[0].field, GetParam().field);
}

INSTANTIATE_TEST_SUITE_P(
    Reconcile, EachDifference,
    ::testing::Values(Plant{"missing in the record",
                            [](LedgerView&, LedgerView& record) {
                                record.active.pop_back();
                                record.booked["PWTC:20210516"] = 1;
                            },
                            DifferenceKind::kMissingInRecord, "900127015528", ""},
                      Plant{"extra in the record",
                            [](LedgerView&, LedgerView& record) {
                                record.active.push_back(booking("900127015529", "JK3"));
                                record.booked["PWTC:20210516"] = 3;
                            },
                            DifferenceKind::kExtraInRecord, "900127015529", ""},
                      Plant{"a field differs",
                            [](LedgerView&, LedgerView& record) { record.active[0].lastName = "Other"; },
                            DifferenceKind::kFieldDiffers, "900127015527", "lastName"},
                      Plant{"another slot",
                            [](LedgerView&, LedgerView& record) { record.active[1].date = "20210517"; },
                            DifferenceKind::kFieldDiffers, "900127015528", "date"},
                      Plant{"booked count differs",
                            [](LedgerView& redis, LedgerView&) { redis.booked["PWTC:20210516"] = 5; },
                            DifferenceKind::kCountDiffers, "", "booked"},
                      Plant{"a slot only one side counts",
                            [](LedgerView&, LedgerView& record) { record.booked["UM:20210607"] = 1; },
                            DifferenceKind::kCountDiffers, "", "booked"}),
    testing::ByLabel());

TEST(Reconcile, AgreeingSidesHaveNoDifference) { EXPECT_TRUE(reconcile(agreeing(), agreeing(), {}).empty()); }

TEST(Reconcile, PeopleWithEventsInFlightAreNotComparedAndTheirSlotsAllowForThem) {
    LedgerView redis = agreeing();
    redis.active.push_back(booking("900127015529", "JK3"));  // booked; its event still in the outbox
    redis.booked["PWTC:20210516"] = 3;
    const InFlight inFlight{.persons = {"900127015529"}, .bookedDelta = {{"PWTC:20210516", 1}}};
    EXPECT_TRUE(reconcile(redis, agreeing(), inFlight).empty());
}

TEST(Reconcile, OnlyDifferencesSeenTwiceAreKept) {
    LedgerView redis = agreeing();
    redis.booked["PWTC:20210516"] = 3;
    const auto first = reconcile(redis, agreeing(), {});
    LedgerView record = agreeing();
    record.active[0].firstName = "Late";
    const auto second = reconcile(redis, record, {});
    const auto kept = persisting(first, second);
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0].kind, DifferenceKind::kCountDiffers);
}

}  // namespace
}  // namespace jkjav::app
