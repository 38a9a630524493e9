#include "domain/booking.hpp"

#include <algorithm>

#include "domain/campaign.hpp"
#include "domain/contact_fields.hpp"
#include "domain/phone_number.hpp"

namespace jkjav::domain {
namespace {

class FieldChecker {
  public:
    explicit FieldChecker(const std::vector<FieldError>& shapeErrors) : errors_(shapeErrors) {}

    // Runs parse on the field unless its JSON shape was already wrong; keeps the value or the problem.
    template <class T, class Parse>
    void check(const char* field, const std::string& raw, T& out, Parse&& parse) {
        const bool alreadyReported = std::any_of(errors_.begin(), errors_.end(),
                                                 [&](const FieldError& e) { return e.field == field; });
        if (alreadyReported) return;
        auto result = parse(raw);
        if (auto* problem = std::get_if<Problem>(&result)) {
            errors_.push_back({field, std::move(problem->message)});
        } else {
            out = std::move(std::get<0>(result));
        }
    }

    std::vector<FieldError> takeErrors() { return std::move(errors_); }

  private:
    std::vector<FieldError> errors_;
};

FieldResult<std::string> parseLocationCode(std::string_view text) {
    if (text.empty()) return Problem{"is required"};
    if (!isValidLocationCode(text))
        return Problem{"must be a location code of 1 to 32 letters, digits, '_' or '-'"};
    return std::string(text);
}

FieldResult<CalendarDate> parseDateField(std::string_view text) {
    if (text.empty()) return Problem{"is required"};
    if (auto date = parseCompactDate(text)) return *date;
    return Problem{"must be a real date written YYYYMMDD"};
}

}  // namespace

std::variant<BookingApplication, std::vector<FieldError>> validateBookingForm(const BookingForm& form) {
    BookingApplication application;
    FieldChecker checker(form.shapeErrors);
    checker.check("mysejahteraId", form.mysejahteraId, application.person, parsePersonId);
    checker.check("firstName", form.firstName, application.firstName,
                  [](std::string_view s) { return parseText(s, kMaxNameCharacters); });
    checker.check("lastName", form.lastName, application.lastName,
                  [](std::string_view s) { return parseText(s, kMaxNameCharacters); });
    checker.check("address", form.address, application.address,
                  [](std::string_view s) { return parseText(s, kMaxAddressCharacters); });
    checker.check("location", form.location, application.location, parseLocationCode);
    checker.check("phoneNumber", form.phoneNumber, application.phoneNumber, parsePhoneNumber);
    checker.check("date", form.date, application.date, parseDateField);
    auto errors = checker.takeErrors();
    if (!errors.empty()) return errors;
    return application;
}

}  // namespace jkjav::domain
