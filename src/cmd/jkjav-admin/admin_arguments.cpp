#include "admin_arguments.hpp"

#include <algorithm>

#include "domain/calendar_date.hpp"
#include "domain/campaign.hpp"
#include "domain/person_id.hpp"

namespace jkjav::cmd {

CLI::Validator locationCode() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            return domain::isValidLocationCode(value) ? "" : "a location code is 1-32 of A-Z a-z 0-9 _ -";
        },
        "LOCATION");
}

CLI::Validator compactDate() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            const auto date = domain::parseFlexibleDate(value);
            if (!date) return "not a date (YYYYMMDD or YYYY-MM-DD)";
            value = date->compact();
            return "";
        },
        "DATE");
}

CLI::Validator personId() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            auto parsed = domain::parsePersonId(value);
            if (const auto* problem = std::get_if<domain::Problem>(&parsed)) {
                return "not a MySejahtera id: " + problem->message;  // the message never repeats the id
            }
            value = std::get<domain::PersonId>(parsed).value;
            return "";
        },
        "ID");
}

CLI::Validator reasonText() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            if (value.empty() || value.size() > 500) return "a reason is 1 to 500 bytes";
            const bool control = std::any_of(value.begin(), value.end(), [](char c) {
                return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
            });
            return control ? "a reason holds no control characters (line breaks, tabs, ...)" : "";
        },
        "TEXT");
}

}  // namespace jkjav::cmd
