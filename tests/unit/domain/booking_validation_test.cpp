#include <gtest/gtest.h>

#include "domain/booking.hpp"

namespace jkjav::domain {
namespace {

BookingForm validForm() {
    return {"900127-01-5527", " Fadhil ", "Yaacob", "Kuala Lumpur", "PWTC", "012-3456789", "20210516", {}};
}

std::vector<std::string> badFields(const BookingForm& form) {
    const auto result = validateBookingForm(form);
    std::vector<std::string> fields;
    if (const auto* errors = std::get_if<std::vector<FieldError>>(&result)) {
        for (const auto& error : *errors) fields.push_back(error.field);
    }
    return fields;
}

TEST(BookingValidation, NormalisesAValidForm) {
    const auto result = validateBookingForm(validForm());
    ASSERT_TRUE(std::holds_alternative<BookingApplication>(result));
    const auto& application = std::get<BookingApplication>(result);
    EXPECT_EQ(application.person.value, "900127015527");
    EXPECT_EQ(application.firstName, "Fadhil");
    EXPECT_EQ(application.phoneNumber, "0123456789");
    EXPECT_EQ(application.date, (CalendarDate{2021, 5, 16}));
}

TEST(BookingValidation, ListsEveryBadFieldAtOnce) {
    const BookingForm empty{};
    EXPECT_EQ(badFields(empty), (std::vector<std::string>{"mysejahteraId", "firstName", "lastName", "address",
                                                          "location", "phoneNumber", "date"}));
}

struct FieldCase {
    const char* field;
    void (*spoil)(BookingForm&);
};

class OneBadField : public ::testing::TestWithParam<FieldCase> {};

TEST_P(OneBadField, IsTheOnlyOneReported) {
    BookingForm form = validForm();
    GetParam().spoil(form);
    EXPECT_EQ(badFields(form), std::vector<std::string>{GetParam().field});
}

INSTANTIATE_TEST_SUITE_P(
    Table, OneBadField,
    ::testing::Values(FieldCase{"mysejahteraId", [](BookingForm& f) { f.mysejahteraId = "901327015527"; }},
                      FieldCase{"firstName", [](BookingForm& f) { f.firstName = std::string(101, 'x'); }},
                      FieldCase{"lastName", [](BookingForm& f) { f.lastName = "\x01"; }},
                      FieldCase{"address", [](BookingForm& f) { f.address = std::string(301, 'x'); }},
                      FieldCase{"location", [](BookingForm& f) { f.location = "PWTC; DROP"; }},
                      FieldCase{"phoneNumber", [](BookingForm& f) { f.phoneNumber = "12"; }},
                      FieldCase{"date", [](BookingForm& f) { f.date = "20210229"; }},
                      FieldCase{"date", [](BookingForm& f) {
                                    f.shapeErrors.push_back({"date", "must be a string"});
                                }}));

TEST(BookingValidation, ShapeErrorsAreNotReportedTwice) {
    BookingForm form = validForm();
    form.firstName.clear();
    form.shapeErrors.push_back({"firstName", "must be a string"});
    const auto result = validateBookingForm(form);
    const auto& errors = std::get<std::vector<FieldError>>(result);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].message, "must be a string");
}

}  // namespace
}  // namespace jkjav::domain
