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

namespace {

// `text` as a JSON string appended to `out`, escaped exactly as Boost.JSON's serializer escapes it
// (its table: '"', '\\' and the control characters; \b \t \n \f \r by name, the others as \u00xx;
// every other byte as it is). Its serializer, reset for each string, cost more than the rest of
// the answer; the test holds the two to the same bytes.
void appendJsonString(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t plain = 0;  // the start of the run of bytes copied as they are
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text, plain, i - plain);
        plain = i + 1;
        out.push_back('\\');
        switch (c) {
            case '"':
                out.push_back('"');
                break;
            case '\\':
                out.push_back('\\');
                break;
            case '\b':
                out.push_back('b');
                break;
            case '\t':
                out.push_back('t');
                break;
            case '\n':
                out.push_back('n');
                break;
            case '\f':
                out.push_back('f');
                break;
            case '\r':
                out.push_back('r');
                break;
            default:
                out.append("u00");
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 0xf]);
        }
    }
    out.append(text, plain, text.size() - plain);
    out.push_back('"');
}

}  // namespace

std::string bookingJson(const domain::Booking& booking) {
    // Written field by field in the record's order, as serializing an object of them would write
    // it: a booking is answered on every POST /booking, and building the object first (a hashed
    // table of copies) cost as much again as writing it.
    std::string out;
    out.reserve(256);
    out.push_back('{');
    adapters::forEachField(booking, [&](std::string_view name, const std::string& value) {
        if (out.size() > 1) out.push_back(',');
        appendJsonString(out, name);
        out.push_back(':');
        appendJsonString(out, value);
    });
    out.push_back('}');
    return out;
}

}  // namespace jkjav::http
