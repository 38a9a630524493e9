#include <gtest/gtest.h>

#include "case_names.hpp"
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
    EXPECT_EQ(application.phoneNumber, "+60123456789");
    EXPECT_EQ(application.date, (CalendarDate{2021, 5, 16}));
}

TEST(BookingValidation, ListsEveryBadFieldAtOnce) {
    const BookingForm empty{};
    EXPECT_EQ(badFields(empty), (std::vector<std::string>{"mysejahteraId", "firstName", "lastName", "address",
                                                          "location", "phoneNumber", "date"}));
}

struct FieldCase {
    const char* label;
    const char* field;
    void (*spoil)(BookingForm&);
};

void PrintTo(const FieldCase& c, std::ostream* os) {
    BookingForm form = validForm();
    c.spoil(form);
    *os << c.label << ": only " << c.field << " is bad in {" << jkjav::testing::escaped(form.mysejahteraId)
        << ", " << jkjav::testing::escaped(form.firstName) << ", " << jkjav::testing::escaped(form.lastName)
        << ", " << jkjav::testing::escaped(form.address) << ", " << jkjav::testing::escaped(form.location)
        << ", " << jkjav::testing::escaped(form.phoneNumber) << ", " << jkjav::testing::escaped(form.date)
        << (form.shapeErrors.empty() ? "" : ", with a shape error") << "}";
}

class OneBadField : public ::testing::TestWithParam<FieldCase> {};

TEST_P(OneBadField, IsTheOnlyOneReported) {
    BookingForm form = validForm();
    GetParam().spoil(form);
    EXPECT_EQ(badFields(form), std::vector<std::string>{GetParam().field});
}

INSTANTIATE_TEST_SUITE_P(
    BadFields, OneBadField,
    ::testing::Values(
        FieldCase{"id_month_13", "mysejahteraId", [](BookingForm& f) { f.mysejahteraId = "901327015527"; }},
        FieldCase{"id_digit_dropped", "mysejahteraId",
                  [](BookingForm& f) { f.mysejahteraId = "90012701552"; }},
        FieldCase{"id_digit_added", "mysejahteraId",
                  [](BookingForm& f) { f.mysejahteraId = "9001270155271"; }},
        FieldCase{"id_letter_added", "mysejahteraId",
                  [](BookingForm& f) { f.mysejahteraId = "900127015527A"; }},
        FieldCase{"first_name_too_long", "firstName",
                  [](BookingForm& f) { f.firstName = std::string(101, 'x'); }},
        FieldCase{"first_name_zero_width_only", "firstName", [](BookingForm& f) { f.firstName = "\u200B"; }},
        FieldCase{"first_name_braille_blank", "firstName", [](BookingForm& f) { f.firstName = "\u2800"; }},
        FieldCase{"first_name_nbsp_only", "firstName", [](BookingForm& f) { f.firstName = "\u00A0\u3000"; }},
        FieldCase{"last_name_control", "lastName", [](BookingForm& f) { f.lastName = "\x01"; }},
        FieldCase{"last_name_rlo", "lastName", [](BookingForm& f) { f.lastName = "Yaacob\u202Emoc.exe"; }},
        FieldCase{"address_too_long", "address", [](BookingForm& f) { f.address = std::string(301, 'x'); }},
        FieldCase{"address_line_separator", "address",
                  [](BookingForm& f) { f.address = "Jalan 1\u2028Jalan 2"; }},
        FieldCase{"address_private_use", "address", [](BookingForm& f) { f.address = "Kuala Lumpur\uE000"; }},
        FieldCase{"location", "location", [](BookingForm& f) { f.location = "PWTC; DROP"; }},
        FieldCase{"phone_too_short", "phoneNumber", [](BookingForm& f) { f.phoneNumber = "12"; }},
        FieldCase{"phone_landline", "phoneNumber", [](BookingForm& f) { f.phoneNumber = "03-2123 4567"; }},
        FieldCase{"date_not_real", "date", [](BookingForm& f) { f.date = "20210229"; }},
        FieldCase{"date_shape", "date",
                  [](BookingForm& f) {
                      f.shapeErrors.push_back({"date", "must be a string"});
                  }}),
    jkjav::testing::ByLabel());

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
