#include "adjust_command.hpp"

#include <cstdio>

#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_record.hpp"
#include "admin_arguments.hpp"
#include "admin_format.hpp"
#include "app/booking_service.hpp"
#include "exit_codes.hpp"

namespace jkjav::embedded {
extern const std::string_view kAdjustLua;
}  // namespace jkjav::embedded

namespace jkjav::cmd {

namespace {

std::string figure(redis::ReplyView value) {
    const auto number = value.asInteger();
    return number ? std::to_string(*number) : "?";
}

}  // namespace

CLI::App* addAdjustCommand(CLI::App& app, AdjustOptions& options) {
    auto* command = app.add_subcommand(
        "adjust",
        "Change one slot's capacity by N seats, atomically. Refused (nothing changed) when fewer than N "
        "seats "
        "are left to take away; seats added go first to the people waiting for that slot, as a cancelled "
        "seat does (each gets a booking and a booking.created event)");
    command->add_option("--location", options.location, "Location code, e.g. PWTC")
        ->required()
        ->transform(locationCode());
    command->add_option("--date", options.date, "Date, YYYYMMDD or YYYY-MM-DD")
        ->required()
        ->transform(compactDate());
    command->add_option("--by", options.by, "Seats to add (positive) or take away (negative)")
        ->required()
        ->check(CLI::Range(-1'000'000'000LL, 1'000'000'000LL))
        ->check(CLI::Validator(
            [](const std::string& value) { return value == "0" ? "0 changes nothing" : ""; }, "NON-ZERO"));
    command->add_flag("--show-personal-data", options.showPersonalData,
                      "Print the promoted people's ids whole (masked otherwise)");
    return command;
}

int runAdjust(AdminSession& session, const AdjustOptions& options) {
    const redis::RedisKeys keys;
    const std::string slot = options.location + ":" + options.date;
    const std::string by = std::to_string(options.by);
    const std::string at = app::formatRfc3339(std::chrono::system_clock::now());
    const std::string_view keysAndArgs[] = {
        keys.slots, keys.capacity, keys.sequence, keys.outbox, keys.campaign, slot, by, at, keys.prefix};
    const auto result = session.runScript(embedded::kAdjustLua, 5, keysAndArgs);
    if (!result || result->view().isError()) return session.reportFailure("adjust", result);
    const redis::ReplyView reply = result->view();
    const std::string_view outcome = redis::valueNamed(reply, "outcome").text();
    if (outcome == "NOT_SEEDED") {
        std::fprintf(stderr, "jkjav-admin adjust: refused: Redis holds no campaign (run jkjav-admin seed)\n");
        return kExitRefused;
    }
    if (outcome == "UNKNOWN_SLOT") {
        std::fprintf(stderr, "jkjav-admin adjust: refused: no slot %s (jkjav-admin status lists them)\n",
                     slot.c_str());
        return kExitRefused;
    }
    const std::string capacityBefore = figure(redis::valueNamed(reply, "capacityBefore"));
    const std::string remainingBefore = figure(redis::valueNamed(reply, "remainingBefore"));
    if (outcome == "BELOW_BOOKED") {
        std::fprintf(
            stderr,
            "jkjav-admin adjust: refused: %s has %s seats left of %s; taking %lld away would go below "
            "what is booked. Nothing changed.\n",
            slot.c_str(), remainingBefore.c_str(), capacityBefore.c_str(), -options.by);
        return kExitRefused;
    }
    const redis::ReplyView promoted = redis::valueNamed(reply, "promoted");
    std::printf("%s: capacity %s -> %s, remaining %s -> %s\n", slot.c_str(), capacityBefore.c_str(),
                figure(redis::valueNamed(reply, "capacity")).c_str(), remainingBefore.c_str(),
                figure(redis::valueNamed(reply, "remaining")).c_str());
    std::printf("promoted from the waitlist: %zu\n", promoted.size());
    for (std::size_t i = 0; i < promoted.size(); ++i) {
        std::printf("  %s (booked; booking.created event in the outbox)\n",
                    personal(promoted[i].text(), options.showPersonalData).c_str());
    }
    return kExitOk;
}

}  // namespace jkjav::cmd
