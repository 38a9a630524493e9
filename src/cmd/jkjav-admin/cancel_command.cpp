#include "cancel_command.hpp"

#include <cstdio>

#include "adapters/redis/cancel_call.hpp"
#include "adapters/redis/redis_record.hpp"
#include "admin_arguments.hpp"
#include "admin_format.hpp"
#include "app/booking_service.hpp"
#include "domain/phone_number.hpp"
#include "exit_codes.hpp"

namespace jkjav::cmd {

namespace {

// The forms of the stored number, today's first, so the event carries it as the API's would; none
// when it is not a number any more (the event then carries it as stored).
std::vector<std::string> phoneFormsOf(AdminSession& session, const redis::RedisKeys& keys,
                                      std::string_view id) {
    const auto stored = session.command({"HGET", keys.booking(id), "phoneNumber"});
    if (!stored || !stored->view().isString()) return {};
    auto credential = domain::parsePhoneCredential(stored->view().text());
    if (const auto* number = std::get_if<std::string>(&credential)) return domain::storedPhoneForms(*number);
    return {};
}

}  // namespace

CLI::App* addCancelCommand(CLI::App& app, CancelOptions& options) {
    auto* command = app.add_subcommand(
        "cancel",
        "An operator's cancellation: the same atomic step as the API's (the seat goes to the first person "
        "waiting, or back to the counter) without the phone check; the booking.cancelled event carries the "
        "reason");
    command->add_option("id", options.personId, "MySejahtera id (MyKad or passport number)")
        ->required()
        ->transform(personId());
    command
        ->add_option("--reason", options.reason, "Why (required; goes into the event, so no personal data)")
        ->required()
        ->transform(reasonText());
    command->add_flag("--show-personal-data", options.showPersonalData, "Print ids whole (masked otherwise)");
    return command;
}

int runCancel(AdminSession& session, const CancelOptions& options) {
    const redis::RedisKeys keys;
    const std::string at = app::formatRfc3339(std::chrono::system_clock::now());
    const redis::CancelCall call(keys, options.personId, phoneFormsOf(session, keys, options.personId), at,
                                 redis::Canceller::kOperator, options.reason);
    const auto keysAndArgs = call.keysAndArgs();
    const auto result = session.runScript(embedded::kCancelLua, redis::CancelCall::kKeys, keysAndArgs);
    if (!result || result->view().isError()) return session.reportFailure("cancel", result);
    const app::FindResult cancelled = redis::cancelResultFrom(result->view());
    const std::string who = personal(options.personId, options.showPersonalData);
    if (cancelled.outcome == domain::Outcome::kNotFound) {
        std::fprintf(stderr, "jkjav-admin cancel: refused: %s holds no booking\n", who.c_str());
        return kExitRefused;
    }
    if (cancelled.outcome != domain::Outcome::kCancelled) {
        std::fprintf(stderr, "jkjav-admin cancel: refused: Redis holds no campaign (not seeded or lost)\n");
        return kExitRefused;
    }
    std::printf("cancelled %s of %s at %s %s (reason: %s); booking.cancelled event in the outbox\n",
                cancelled.booking.reference.c_str(), who.c_str(), cancelled.booking.location.c_str(),
                cancelled.booking.date.c_str(), options.reason.c_str());
    if (cancelled.promotedPersonId.empty()) {
        std::printf("the seat went back to the counter (nobody was waiting)\n");
    } else {
        std::printf(
            "the seat went to %s, first in the waitlist (booked; booking.created event in the outbox)\n",
            personal(cancelled.promotedPersonId, options.showPersonalData).c_str());
    }
    return kExitOk;
}

}  // namespace jkjav::cmd
