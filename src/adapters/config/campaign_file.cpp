#include "adapters/config/campaign_file.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fstream>
#include <initializer_list>
#include <sstream>

namespace jkjav::config {
namespace {

namespace json = boost::json;
using domain::CalendarDate;

// Collects the first problem found, with the path to it, so the operator can fix it directly.
class Reader {
  public:
    bool failed() const { return !problem_.empty(); }
    const std::string& problem() const { return problem_; }

    void fail(const std::string& where, const std::string& what) {
        if (problem_.empty()) problem_ = where + ": " + what;
    }

    void rejectUnknownKeys(const json::object& object, const std::string& where,
                           std::initializer_list<std::string_view> known) {
        for (const auto& entry : object) {
            bool isKnown = false;
            for (auto key : known) isKnown = isKnown || entry.key() == key;
            if (!isKnown) fail(where, "unknown key '" + std::string(entry.key()) + "'");
        }
    }

    std::string text(const json::object& object, std::string_view key, const std::string& where,
                     bool required) {
        const auto* value = object.if_contains(key);
        if (value == nullptr) {
            if (required) fail(where, "'" + std::string(key) + "' is required");
            return {};
        }
        if (!value->is_string()) {
            fail(where, "'" + std::string(key) + "' must be a string");
            return {};
        }
        return std::string(value->get_string());
    }

    std::optional<std::int64_t> integer(const json::value* value, const std::string& where) {
        if (value == nullptr) return std::nullopt;
        if (value->is_int64()) return value->get_int64();
        if (value->is_uint64() && value->get_uint64() <= INT64_MAX)
            return static_cast<std::int64_t>(value->get_uint64());
        fail(where, "must be a whole number");
        return std::nullopt;
    }

    CalendarDate date(const json::value* value, const std::string& where) {
        if (value == nullptr || !value->is_string()) {
            fail(where, "a date is a string YYYYMMDD or YYYY-MM-DD");
            return {};
        }
        auto parsed = domain::parseFlexibleDate(value->get_string());
        if (!parsed) fail(where, "'" + std::string(value->get_string()) + "' is not a real date");
        return parsed.value_or(CalendarDate{});
    }

  private:
    std::string problem_;
};

std::vector<domain::SlotOffer> readOffers(Reader& reader, const json::object& location,
                                          const std::string& where) {
    const auto capacityPerDay =
        reader.integer(location.if_contains("capacityPerDay"), where + ".capacityPerDay");
    const auto* dates = location.if_contains("dates");
    std::vector<domain::SlotOffer> offers;
    if (dates == nullptr) {
        reader.fail(where, "'dates' is required");
        return offers;
    }
    auto capacityOr = [&](const json::value* explicitCapacity, const std::string& at) -> std::int64_t {
        if (auto capacity = reader.integer(explicitCapacity, at + ".capacity")) return *capacity;
        if (capacityPerDay) return *capacityPerDay;
        reader.fail(at, "no capacity: give 'capacity' or the location's 'capacityPerDay'");
        return 0;
    };

    if (const auto* range = dates->if_object()) {  // {"from": ..., "to": ...}
        reader.rejectUnknownKeys(*range, where + ".dates", {"from", "to"});
        const CalendarDate from = reader.date(range->if_contains("from"), where + ".dates.from");
        const CalendarDate to = reader.date(range->if_contains("to"), where + ".dates.to");
        if (reader.failed()) return offers;
        if (to < from) reader.fail(where + ".dates", "'to' is before 'from'");
        if (to.dayNumber() - from.dayNumber() > 3660)
            reader.fail(where + ".dates", "a range longer than ten years");
        if (reader.failed()) return offers;
        const std::int64_t capacity = capacityOr(nullptr, where);
        for (CalendarDate day = from; day <= to; day = day.plusDays(1)) offers.push_back({day, capacity});
        return offers;
    }
    const auto* list = dates->if_array();
    if (list == nullptr) {
        reader.fail(where + ".dates", "must be {\"from\",\"to\"} or a list of dates");
        return offers;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {  // ["20210607", {"date": ..., "capacity": ...}]
        const std::string at = where + ".dates[" + std::to_string(i) + "]";
        const json::value& entry = (*list)[i];
        if (const auto* object = entry.if_object()) {
            reader.rejectUnknownKeys(*object, at, {"date", "capacity"});
            offers.push_back({reader.date(object->if_contains("date"), at),
                              capacityOr(object->if_contains("capacity"), at)});
        } else {
            offers.push_back({reader.date(&entry, at), capacityOr(nullptr, at)});
        }
    }
    return offers;
}

// "2021-05-26T12:00:00+08:00" (RFC 3339: 'T' or 't', optional fraction, Z or an offset) as Unix ms.
std::optional<std::int64_t> parseRfc3339(std::string_view text) {
    auto digits = [&](std::size_t at, std::size_t count) -> std::optional<int> {
        if (at + count > text.size()) return std::nullopt;
        int value = 0;
        for (std::size_t i = at; i < at + count; ++i) {
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
        text[13] != ':' || text[16] != ':')
        return std::nullopt;
    const auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
    const auto hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
    if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
    const auto date = domain::parseFlexibleDate(text.substr(0, 10));
    if (!date || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    std::size_t at = 19;
    std::int64_t millis = 0;
    if (at < text.size() && text[at] == '.') {
        std::size_t end = ++at;
        while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
        if (end == at) return std::nullopt;
        for (std::size_t i = at; i < at + 3; ++i) millis = millis * 10 + (i < end ? text[i] - '0' : 0);
        at = end;
    }
    std::int64_t offsetMinutes = 0;
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        const auto offsetHours = digits(at + 1, 2), offsetMins = digits(at + 4, 2);
        if (!offsetHours || !offsetMins || at + 3 >= text.size() || text[at + 3] != ':' ||
            *offsetHours > 23 || *offsetMins > 59)
            return std::nullopt;
        offsetMinutes = (*offsetHours * 60 + *offsetMins) * (text[at] == '-' ? -1 : 1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != text.size()) return std::nullopt;
    const std::int64_t seconds = static_cast<std::int64_t>(date->dayNumber()) * 86400 + *hour * 3600 +
                                 *minute * 60 + std::min(*second, 59) - offsetMinutes * 60;
    return seconds * 1000 + millis;
}

std::optional<domain::QueueSettings> readQueue(Reader& reader, const json::value& value) {
    const auto* object = value.if_object();
    if (object == nullptr) {
        reader.fail("queue", "must be an object");
        return std::nullopt;
    }
    reader.rejectUnknownKeys(*object, "queue",
                             {"opensAt", "preQueueOpensAt", "admitPerSecond", "admissionSeconds",
                              "overAdmitFactor", "offerWaitlist"});
    auto time = [&](std::string_view key, bool required) -> std::optional<std::int64_t> {
        const std::string text = reader.text(*object, key, "queue", required);
        if (text.empty()) return std::nullopt;
        auto parsed = parseRfc3339(text);
        if (!parsed)
            reader.fail("queue." + std::string(key),
                        "'" + text + "' is not an RFC 3339 time such as 2021-05-26T12:00:00+08:00");
        return parsed;
    };
    auto number = [&](std::string_view key, double fallback, double least, double most) -> double {
        const auto* entry = object->if_contains(key);
        if (entry == nullptr) return fallback;
        if (!entry->is_number()) {
            reader.fail("queue." + std::string(key), "must be a number");
            return fallback;
        }
        const double given = entry->to_number<double>();
        if (!(given >= least && given <= most)) {
            reader.fail("queue." + std::string(key),
                        "must be " + std::to_string(static_cast<long long>(least)) + " to " +
                            std::to_string(static_cast<long long>(most)));
        }
        return given;
    };
    domain::QueueSettings settings;
    settings.opensAtMs = time("opensAt", true).value_or(0);
    settings.preQueueOpensAtMs =
        time("preQueueOpensAt", false).value_or(settings.opensAtMs - domain::kDefaultPreQueueLeadMs);
    settings.admitPerSecond = number("admitPerSecond", domain::kDefaultAdmitPerSecond, 0.001, 1e6);
    settings.admissionSeconds =
        static_cast<std::int64_t>(number("admissionSeconds", domain::kDefaultAdmissionSeconds, 1, 86400));
    if (const auto* entry = object->if_contains("admissionSeconds");
        entry && !entry->is_int64() && !entry->is_uint64())
        reader.fail("queue.admissionSeconds", "must be a whole number of seconds");
    settings.overAdmitFactor = number("overAdmitFactor", domain::kDefaultOverAdmitFactor, 1, 100);
    if (const auto* entry = object->if_contains("offerWaitlist")) {
        if (entry->is_bool()) {
            settings.offerWaitlist = entry->get_bool();
        } else {
            reader.fail("queue.offerWaitlist", "must be true or false");
        }
    }
    if (!reader.failed() && settings.preQueueOpensAtMs > settings.opensAtMs)
        reader.fail("queue.preQueueOpensAt", "is after opensAt");
    return settings;
}

}  // namespace

std::variant<domain::Campaign, CampaignFileError> parseCampaign(std::string_view text) {
    boost::system::error_code ec;
    const json::value document = json::parse(text, ec);
    if (ec) return CampaignFileError{"not valid JSON: " + ec.message()};
    const auto* root = document.if_object();
    if (root == nullptr) return CampaignFileError{"the campaign must be a JSON object"};

    Reader reader;
    reader.rejectUnknownKeys(*root, "campaign", {"name", "eligibility", "states", "locations", "queue"});
    const std::string name = reader.text(*root, "name", "campaign", false);

    std::optional<domain::Eligibility> eligibility;
    if (const auto* value = root->if_contains("eligibility")) {
        const auto* object = value->if_object();
        if (object == nullptr) {
            reader.fail("eligibility", "must be an object");
        } else {
            reader.rejectUnknownKeys(*object, "eligibility",
                                     {"minAgeYears", "referenceDate", "allowNonMyKad"});
            domain::Eligibility rule;
            // Range-checked before the narrowing: 4294967314 must not become 18.
            const std::int64_t minAge =
                reader.integer(object->if_contains("minAgeYears"), "eligibility.minAgeYears").value_or(0);
            if (minAge < 0 || minAge > domain::kMaxMinAgeYears) {
                reader.fail("eligibility.minAgeYears",
                            "must be 0 to " + std::to_string(domain::kMaxMinAgeYears));
            }
            rule.minAgeYears = static_cast<int>(std::clamp<std::int64_t>(minAge, 0, domain::kMaxMinAgeYears));
            rule.referenceDate =
                reader.date(object->if_contains("referenceDate"), "eligibility.referenceDate");
            if (const auto* allow = object->if_contains("allowNonMyKad")) {
                if (allow->is_bool()) {
                    rule.allowNonMyKad = allow->get_bool();
                } else {
                    reader.fail("eligibility.allowNonMyKad", "must be true or false");
                }
            }
            eligibility = rule;
        }
    }

    std::vector<domain::State> states;
    if (const auto* value = root->if_contains("states")) {
        if (!value->is_array()) reader.fail("states", "must be a list");
        for (std::size_t i = 0; value->is_array() && i < value->get_array().size(); ++i) {
            const std::string at = "states[" + std::to_string(i) + "]";
            const auto* object = value->get_array()[i].if_object();
            if (object == nullptr) {
                reader.fail(at, "must be an object");
                continue;
            }
            reader.rejectUnknownKeys(*object, at, {"key", "name"});
            states.push_back({reader.text(*object, "key", at, true), reader.text(*object, "name", at, true)});
        }
    }

    std::vector<domain::Location> locations;
    const auto* list = root->if_contains("locations");
    if (list == nullptr || !list->is_array()) reader.fail("campaign", "'locations' must be a list");
    for (std::size_t i = 0; list != nullptr && list->is_array() && i < list->get_array().size(); ++i) {
        std::string at = "locations[" + std::to_string(i) + "]";
        const auto* object = list->get_array()[i].if_object();
        if (object == nullptr) {
            reader.fail(at, "must be an object");
            continue;
        }
        reader.rejectUnknownKeys(*object, at, {"code", "name", "state", "dates", "capacityPerDay"});
        domain::Location location;
        location.code = reader.text(*object, "code", at, true);
        at += " (" + location.code + ")";
        location.name = reader.text(*object, "name", at, false);
        if (location.name.empty()) location.name = location.code;
        location.stateKey = reader.text(*object, "state", at, !states.empty());
        location.offers = readOffers(reader, *object, at);
        locations.push_back(std::move(location));
    }
    std::optional<domain::QueueSettings> queue;
    if (const auto* value = root->if_contains("queue")) queue = readQueue(reader, *value);
    if (reader.failed()) return CampaignFileError{reader.problem()};

    domain::Campaign campaign(name.empty() ? "campaign" : name, std::move(states), std::move(locations),
                              std::move(eligibility));
    campaign.setQueue(queue);
    const auto problems = campaign.validate();
    if (!problems.empty()) return CampaignFileError{problems.front()};
    return campaign;
}

std::variant<domain::Campaign, CampaignFileError> loadCampaignFile(const std::string& path) {
    std::ifstream file(path);
    if (!file) return CampaignFileError{"cannot read campaign file '" + path + "'"};
    std::ostringstream content;
    content << file.rdbuf();
    auto result = parseCampaign(content.str());
    if (auto* error = std::get_if<CampaignFileError>(&result)) error->message = path + ": " + error->message;
    return result;
}

}  // namespace jkjav::config
