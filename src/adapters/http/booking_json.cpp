#include "adapters/http/booking_json.hpp"

#include <array>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

namespace jkjav::http {

std::variant<domain::BookingForm, MalformedJson> parseBookingForm(std::string_view body) {
    // An 8 KiB body parses into this arena on the stack: no heap allocation for the document.
    unsigned char arena[16 * 1024];
    boost::json::monotonic_resource memory(arena, sizeof arena);
    boost::system::error_code ec;
    const boost::json::value document = boost::json::parse(body, ec, &memory);
    if (ec) return MalformedJson{"The body is not valid JSON: " + ec.message() + "."};
    const auto* object = document.if_object();
    if (object == nullptr) return MalformedJson{"The body must be a JSON object."};

    domain::BookingForm form;
    const std::array<std::pair<const char*, std::string*>, 7> fields{{
        {"mysejahteraId", &form.mysejahteraId},
        {"firstName", &form.firstName},
        {"lastName", &form.lastName},
        {"address", &form.address},
        {"location", &form.location},
        {"phoneNumber", &form.phoneNumber},
        {"date", &form.date},
    }};
    for (const auto& [name, target] : fields) {
        const auto* value = object->if_contains(name);
        if (value == nullptr || value->is_null()) continue;
        if (const auto* text = value->if_string()) {
            target->assign(text->data(), text->size());
        } else {
            form.shapeErrors.push_back({name, "must be a string"});
        }
    }
    if (const auto* waitlist = object->if_contains("waitlist"); waitlist != nullptr && !waitlist->is_null()) {
        if (waitlist->is_bool()) {
            form.waitlist = waitlist->get_bool();
        } else {
            form.shapeErrors.push_back({"waitlist", "must be true or false"});
        }
    }
    return form;
}

std::string waitlistedJson(std::string_view location, std::string_view date, long long position) {
    const boost::json::object object{
        {"status", "Waitlisted"},
        {"code", "WAITLISTED"},
        {"message",
         "The slot is full; you have a place in its queue and get the slot if a booking is cancelled."},
        {"location", location},
        {"date", date},
        {"position", position},
    };
    return boost::json::serialize(object);
}

std::string bookingJson(const domain::Booking& booking) {
    unsigned char arena[4 * 1024];
    boost::json::monotonic_resource memory(arena, sizeof arena);
    const boost::json::object object(
        {
            {"mysejahteraId", booking.mysejahteraId},
            {"firstName", booking.firstName},
            {"lastName", booking.lastName},
            {"address", booking.address},
            {"location", booking.location},
            {"phoneNumber", booking.phoneNumber},
            {"date", booking.date},
            {"reference", booking.reference},
            {"createdAt", booking.createdAt},
        },
        &memory);
    return boost::json::serialize(object);
}

}  // namespace jkjav::http
