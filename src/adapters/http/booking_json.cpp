#include "adapters/http/booking_json.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <type_traits>

#include "adapters/record_fields.hpp"
#include "domain/outcome.hpp"

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
    adapters::forEachField(form, [&](std::string_view name, auto& target) {
        const auto* value = object->if_contains(name);
        if (value == nullptr || value->is_null()) return;
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(target)>, bool>) {
            if (value->is_bool()) {
                target = value->get_bool();
            } else {
                form.shapeErrors.push_back({std::string(name), "must be true or false"});
            }
        } else {
            if (const auto* text = value->if_string()) {
                target.assign(text->data(), text->size());
            } else {
                form.shapeErrors.push_back({std::string(name), "must be a string"});
            }
        }
    });
    return form;
}

std::string waitlistedJson(std::string_view location, std::string_view date, long long position) {
    const auto& waitlisted = domain::spellingOf(domain::Outcome::kWaitlisted);
    const boost::json::object object{
        {"status", "Waitlisted"},
        {"code", waitlisted.code},
        {"message", waitlisted.message},
        {"location", location},
        {"date", date},
        {"position", position},
    };
    return boost::json::serialize(object);
}

std::string bookingJson(const domain::Booking& booking) {
    unsigned char arena[4 * 1024];
    boost::json::monotonic_resource memory(arena, sizeof arena);
    boost::json::object object(&memory);
    adapters::forEachField(booking,
                           [&](std::string_view name, const std::string& value) { object[name] = value; });
    return boost::json::serialize(object);
}

}  // namespace jkjav::http
