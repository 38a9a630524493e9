#include "queue_command.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "adapters/config/campaign_file.hpp"
#include "adapters/queue/queue_figures_reply.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_record.hpp"
#include "exit_codes.hpp"
#include "queue_view.hpp"

namespace jkjav::embedded {
extern const std::string_view kQueuePlaceLua;
}  // namespace jkjav::embedded

namespace jkjav::cmd {

namespace {

// The campaign parser's bounds of admitPerSecond: what set-rate accepts too.
constexpr double kMaxRate = 1e6;

// Redis must hold this campaign: steering another campaign's queue by mistake is refused (exit 3).
std::optional<int> refuseOtherCampaign(AdminSession& session, const redis::RedisKeys& keys,
                                       const std::string& campaign, const char* command) {
    const auto marker = session.command({"HGET", keys.campaign, "id"});
    if (!marker || marker->view().isError()) return session.reportFailure(command, marker);
    const std::string_view held = marker->view().text();
    if (held.empty()) {
        std::fprintf(stderr, "jkjav-admin %s: refused: Redis holds no campaign (run jkjav-admin seed)\n",
                     command);
        return kExitRefused;
    }
    if (held != campaign) {
        std::fprintf(stderr,
                     "jkjav-admin %s: refused: Redis holds campaign '%.*s', not '%s' (wrong --campaign?)\n",
                     command, static_cast<int>(held.size()), held.data(), campaign.c_str());
        return kExitRefused;
    }
    return std::nullopt;
}

int printStatus(AdminSession& session, const redis::RedisKeys& keys, const domain::QueueSettings& settings,
                bool json) {
    // place.lua with no member: the figures every server reads, in one atomic step.
    const std::string opensAt = std::to_string(settings.opensAtMs);
    const std::string_view keysAndArgs[] = {
        keys.queueLane, keys.queueAdmitted, keys.queueState, keys.slots, "", opensAt};
    const auto result = session.runScript(embedded::kQueuePlaceLua, 4, keysAndArgs);
    if (!result || result->view().isError() || !result->view().isArray())
        return session.reportFailure("queue status", result);
    const redis::ReplyView reply = result->view();
    const app::QueueFigures figures = queue::queueFiguresFrom(reply, settings.admitPerSecond);
    const auto status = queueStatus(figures, queue::operatorRateIn(reply), settings);
    if (json) {
        std::printf("%s\n", queueStatusJson(status).c_str());
    } else {
        std::fputs(queueStatusText(status).c_str(), stdout);
    }
    return kExitOk;
}

}  // namespace

QueueCommands addQueueCommand(CLI::App& app, QueueOptions& options) {
    QueueCommands commands;
    commands.queue =
        app.add_subcommand("queue", "See and steer the waiting room (campaigns with a `queue` section)");
    commands.queue->require_subcommand(1);
    commands.queue->fallthrough();
    commands.queue->add_option("--campaign", options.campaignFile, "Campaign JSON file (its queue settings)")
        ->envname("CAMPAIGN_FILE")
        ->required();
    commands.status = commands.queue->add_subcommand(
        "status", "Open/prequeue/closed, paused, rates, length, admissions outstanding and the cap, totals");
    commands.status->add_flag("--json", options.json,
                              "One JSON object (shape in docs/admin.md) instead of a table");
    commands.pause = commands.queue->add_subcommand(
        "pause", "Admit nobody until resumed (admissions held stay valid until they expire)");
    commands.resume = commands.queue->add_subcommand(
        "resume", "Admit again, at the rate from now on: the paused time is not made up in a burst");
    commands.setRate = commands.queue->add_subcommand(
        "set-rate", "Admit N people per second instead of the campaign file's admitPerSecond");
    commands.setRate->add_option("N", options.rate, "Admissions per second, above 0 and at most 1000000")
        ->required()
        ->check(CLI::Validator(
            [](std::string& value) -> std::string {
                char* end = nullptr;
                const double rate = std::strtod(value.c_str(), &end);
                const bool number =
                    !value.empty() && end == value.c_str() + value.size() && std::isfinite(rate);
                return number && rate > 0 && rate <= kMaxRate
                           ? ""
                           : "a rate is a number of admissions per second, above 0 and at most 1000000";
            },
            "RATE"));
    return commands;
}

int runQueue(AdminSession& session, const QueueCommands& commands, const QueueOptions& options) {
    auto loaded = config::loadCampaignFile(options.campaignFile);
    if (auto* error = std::get_if<config::CampaignFileError>(&loaded)) {
        std::fprintf(stderr, "jkjav-admin queue: %s\n", error->message.c_str());
        return kExitFailed;
    }
    const auto& campaign = std::get<domain::Campaign>(loaded);
    if (!campaign.queue()) {
        std::fprintf(
            stderr,
            "jkjav-admin queue: campaign '%s' has no waiting room (its file has no `queue` section): "
            "people book directly\n",
            campaign.name().c_str());
        return kExitFailed;
    }
    const domain::QueueSettings& settings = *campaign.queue();
    const redis::RedisKeys keys;
    if (auto refused = refuseOtherCampaign(session, keys, campaign.name(), "queue")) return *refused;

    if (*commands.status) return printStatus(session, keys, settings, options.json);
    if (*commands.pause) {
        const auto reply = session.command({"HSET", keys.queueState, "paused", "1"});
        if (!reply || reply->view().isError()) return session.reportFailure("queue pause", reply);
        std::printf(
            "queue paused: nobody is admitted until `jkjav-admin queue resume`; admissions held stay "
            "valid until they expire\n");
        return kExitOk;
    }
    if (*commands.resume) {
        const auto reply = session.command({"HDEL", keys.queueState, "paused"});
        if (!reply || reply->view().isError()) return session.reportFailure("queue resume", reply);
        std::printf("queue %s: admitting again at the rate, from now on\n",
                    reply->view().asInteger().value_or(0) == 1 ? "resumed" : "was not paused");
        return kExitOk;
    }
    if (*commands.setRate) {
        char rate[32];
        std::snprintf(rate, sizeof rate, "%.17g", options.rate);
        const auto reply = session.command({"HSET", keys.queueState, "admitPerSecond", rate});
        if (!reply || reply->view().isError()) return session.reportFailure("queue set-rate", reply);
        std::printf("queue admission rate: %g/s (the campaign file's: %g/s)\n", options.rate,
                    settings.admitPerSecond);
        return kExitOk;
    }
    return kExitBadArguments;
}

}  // namespace jkjav::cmd
