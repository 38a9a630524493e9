// A booking as people submit it, as it is once checked, and as it is stored.
#pragma once

#include <boost/describe/class.hpp>
#include <string>
#include <variant>
#include <vector>

#include "domain/calendar_date.hpp"
#include "domain/person_id.hpp"

namespace jkjav::domain {

struct FieldError {
    std::string field;
    std::string message;
    bool operator==(const FieldError&) const = default;
};

// The fields exactly as received. A field whose JSON had the wrong type is already listed in
// shapeErrors and is not checked again.
struct BookingForm {
    std::string mysejahteraId;
    std::string firstName;
    std::string lastName;
    std::string address;
    std::string location;
    std::string phoneNumber;
    std::string date;
    bool waitlist = false;  // when the slot is full, take a place in its queue instead
    std::vector<FieldError> shapeErrors;
};
// The request body's fields, in this order (shapeErrors is the parser's, not the client's).
BOOST_DESCRIBE_STRUCT(BookingForm, (),
                      (mysejahteraId, firstName, lastName, address, location, phoneNumber, date, waitlist))

// A form that passed every check, normalised.
struct BookingApplication {
    PersonId person;
    std::string firstName;
    std::string lastName;
    std::string address;
    std::string phoneNumber;
    std::string location;
    CalendarDate date;
};

// What is stored and answered. Described once below: the JSON answer, the Lua scripts' arguments,
// the stored hash, the outbox stream's fields and the parsing of every reply are derived from it.
struct Booking {
    std::string mysejahteraId;
    std::string firstName;
    std::string lastName;
    std::string address;
    std::string location;
    std::string phoneNumber;
    std::string date;  // YYYYMMDD
    std::string reference;
    std::string createdAt;  // RFC 3339, UTC
    bool operator==(const Booking&) const = default;
};
BOOST_DESCRIBE_STRUCT(Booking, (),
                      (mysejahteraId, firstName, lastName, address, location, phoneNumber, date, reference,
                       createdAt))

inline constexpr std::size_t kMaxNameCharacters = 100;
inline constexpr std::size_t kMaxAddressCharacters = 300;

// Every problem of the form at once, so a person fixes them in one go.
std::variant<BookingApplication, std::vector<FieldError>> validateBookingForm(const BookingForm& form);

}  // namespace jkjav::domain
