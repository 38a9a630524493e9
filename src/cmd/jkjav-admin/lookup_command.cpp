#include "lookup_command.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>

#include "adapters/record_fields.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_record.hpp"
#include "admin_arguments.hpp"
#include "admin_format.hpp"
#include "exit_codes.hpp"

namespace jkjav::cmd {

namespace {

// The record's fields in order, identity and phone number masked unless `show`.
std::vector<std::pair<std::string, std::string>> shownFields(domain::Booking& booking, bool show) {
    std::vector<std::pair<std::string, std::string>> fields;
    adapters::forEachField(booking, [&](std::string_view name, const std::string& value) {
        const bool isPersonal = name == "mysejahteraId" || name == "phoneNumber";
        fields.emplace_back(name, isPersonal ? personal(value, show) : value);
    });
    return fields;
}

}  // namespace

CLI::App* addLookupCommand(CLI::App& app, LookupOptions& options) {
    auto* command = app.add_subcommand(
        "lookup",
        "A person's booking (or waitlist place); id and phone number masked unless --show-personal-data");
    command->add_option("id", options.personId, "MySejahtera id (MyKad or passport number)")
        ->required()
        ->transform(personId());
    command->add_flag("--json", options.json, "One JSON object: {status, slot, position, booking}");
    command->add_flag("--show-personal-data", options.showPersonalData,
                      "Print the id and phone number whole (the operator is accountable for what they see)");
    return command;
}

int runLookup(AdminSession& session, const LookupOptions& options) {
    const redis::RedisKeys keys;
    const auto held = session.command({"HGETALL", keys.booking(options.personId)});
    const auto place = session.command({"HGETALL", keys.waiting(options.personId)});
    if (!held || !place) return session.reportFailure("lookup", std::nullopt);
    const bool booked = held->view().size() > 0;
    const redis::ReplyView record = booked ? held->view() : place->view();
    if (record.size() == 0) {
        std::fprintf(stderr, "jkjav-admin lookup: no booking and no waitlist place for %s\n",
                     personal(options.personId, options.showPersonalData).c_str());
        return kExitRefused;
    }
    domain::Booking booking;
    redis::assignFromPairs(booking, record);
    if (booking.mysejahteraId.empty()) booking.mysejahteraId = options.personId;
    const std::string slot(redis::valueNamed(record, "slot").text());
    long long position = 0;
    if (!booked) {
        // A place keeps its queue's key; one taken before places did is in the slot's queue.
        const std::string_view kept = redis::valueNamed(record, "queue").text();
        const std::string queue = kept.empty() ? keys.waitlist(slot) : std::string(kept);
        const auto found = session.command({"LPOS", queue, options.personId});
        if (found) position = found->view().integer() + 1;
    }
    const auto fields = shownFields(booking, options.showPersonalData);

    if (options.json) {
        boost::json::object shown;
        for (const auto& [name, value] : fields) shown[name] = value;
        boost::json::object out{{"status", booked ? "BOOKED" : "WAITING"}, {"slot", slot}};
        if (!booked) out["position"] = position;
        out["booking"] = std::move(shown);
        std::printf("%s\n", boost::json::serialize(out).c_str());
        return kExitOk;
    }
    if (booked) {
        std::printf("booked: %s\n", slot.c_str());
    } else {
        std::printf("waiting for %s, position %lld (no booking yet)\n", slot.c_str(), position);
    }
    for (const auto& [name, value] : fields) {
        if (!value.empty()) std::printf("  %-14s %s\n", name.c_str(), value.c_str());
    }
    return kExitOk;
}

}  // namespace jkjav::cmd
