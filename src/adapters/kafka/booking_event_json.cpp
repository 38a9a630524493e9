#include "adapters/kafka/booking_event_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>

#include "adapters/record_fields.hpp"
#include "domain/calendar_date.hpp"

namespace jkjav::kafka {
namespace {

std::string textOf(const boost::json::object& object, std::string_view name) {
    const auto* found = object.if_contains(name);
    if (found == nullptr || !found->is_string()) return {};
    return std::string(found->get_string());
}

bool isDigits(std::string_view text) {
    for (const char c : text) {
        if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
    }
    return !text.empty();
}

// "2021-05-26T01:02:03Z", with optional fractions and a numeric offset: what PostgreSQL's
// timestamptz takes, checked here so one bad event cannot fail every batch it is in.
bool isRfc3339(std::string_view text) {
    if (text.size() < 20) return false;
    if (!isDigits(text.substr(0, 4)) || text[4] != '-' || !isDigits(text.substr(5, 2)) || text[7] != '-' ||
        !isDigits(text.substr(8, 2)) || (text[10] != 'T' && text[10] != ' ') ||
        !isDigits(text.substr(11, 2)) || text[13] != ':' || !isDigits(text.substr(14, 2)) ||
        text[16] != ':' || !isDigits(text.substr(17, 2))) {
        return false;
    }
    if (!domain::isValidDate(std::stoi(std::string(text.substr(0, 4))),
                             std::stoi(std::string(text.substr(5, 2))),
                             std::stoi(std::string(text.substr(8, 2))))) {
        return false;
    }
    std::string_view rest = text.substr(19);
    if (!rest.empty() && rest.front() == '.') {
        std::size_t digits = 1;
        while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits])) != 0) ++digits;
        if (digits == 1) return false;
        rest.remove_prefix(digits);
    }
    if (rest == "Z") return true;
    return rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && isDigits(rest.substr(1, 2)) &&
           rest[3] == ':' && isDigits(rest.substr(4, 2));
}

}  // namespace

std::optional<domain::BookingEvent> parseEventJson(std::string_view value) {
    boost::system::error_code error;
    const boost::json::value parsed = boost::json::parse(value, error);
    if (error || !parsed.is_object()) return std::nullopt;
    const auto& object = parsed.get_object();
    const auto* booking = object.if_contains("booking");
    if (booking == nullptr || !booking->is_object()) return std::nullopt;

    domain::BookingEvent event;
    event.eventId = textOf(object, "eventId");
    event.type = textOf(object, "type");
    event.occurredAt = textOf(object, "occurredAt");
    event.reason = textOf(object, "reason");
    adapters::forEachField(event.booking, [&](std::string_view name, std::string& field) {
        field = textOf(booking->get_object(), name);
    });
    if (event.eventId.empty() || (event.type != "booking.created" && event.type != "booking.cancelled")) {
        return std::nullopt;
    }
    if (!isRfc3339(event.occurredAt) || event.booking.reference.empty() ||
        event.booking.mysejahteraId.empty() || event.booking.location.empty() ||
        !domain::parseCompactDate(event.booking.date)) {
        return std::nullopt;
    }
    return event;
}

}  // namespace jkjav::kafka
