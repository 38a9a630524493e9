// jkjav-admin: what an operator asks and does on the day (docs/admin.md). Only the wiring:
// each command is its own file. Exit codes (exit_codes.hpp): 0 done, 1 Redis or a file failed,
// 2 bad arguments, 3 refused, 4 reconcile found differences.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "adjust_command.hpp"
#include "admin_session.hpp"
#include "cancel_command.hpp"
#include "exit_codes.hpp"
#include "export_command.hpp"
#include "jkjav_version.hpp"
#include "lookup_command.hpp"
#include "queue_command.hpp"
#include "reconcile_command.hpp"
#include "redis_options.hpp"
#include "seed_command.hpp"
#include "status_command.hpp"

int main(int argc, char** argv) {
    using namespace jkjav::cmd;
    CLI::App app{
        "jkjav-admin: see and steer a jkjav deployment in its Redis (same settings as jkjav-server)"};
    app.set_version_flag("--version", std::string("jkjav-admin ") + kVersion);
    RedisOptions redisOptions;
    redisOptions.addTo(app);
    app.require_subcommand(1);
    app.fallthrough();  // "status --redis-url ..." as well as "--redis-url ... status"

    StatusOptions statusOptions;
    auto* statusCommand = addStatusCommand(app, statusOptions);
    auto* seedCommand = app.add_subcommand(
        "seed",
        "Open the campaign for bookings: create its slot counters (never overwriting one) and its marker");
    SeedOptions seedOptions;
    seedCommand->add_option("--campaign", seedOptions.campaignFile, "Campaign JSON file")
        ->envname("CAMPAIGN_FILE")
        ->required();
    seedCommand->add_flag(
        "--force-reseed", seedOptions.forceReseed,
        "Open it even over another campaign's marker or Kafka's evidence (read the warning)");
    seedCommand
        ->add_option("--kafka-brokers", seedOptions.kafkaBrokers,
                     "If set, refuse to seed a Redis without the campaign while the topic holds events")
        ->envname("KAFKA_BROKERS");
    seedCommand->add_option("--kafka-topic", seedOptions.kafkaTopic, "Topic of the booking events")
        ->envname("KAFKA_TOPIC");
    AdjustOptions adjustOptions;
    auto* adjustCommand = addAdjustCommand(app, adjustOptions);
    LookupOptions lookupOptions;
    auto* lookupCommand = addLookupCommand(app, lookupOptions);
    CancelOptions cancelOptions;
    auto* cancelCommand = addCancelCommand(app, cancelOptions);
    ExportOptions exportOptions;
    auto* exportCommand = addExportCommand(app, exportOptions);
    ReconcileOptions reconcileOptions;
    auto* reconcileCommand = addReconcileCommand(app, reconcileOptions);
    QueueOptions queueOptions;
    const QueueCommands queueCommands = addQueueCommand(app, queueOptions);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);  // prints the help, the version or what is wrong
        return code == 0 ? kExitOk : kExitBadArguments;
    }
    const auto endpoint = redisOptions.endpoint();
    if (!endpoint) return kExitBadArguments;
    auto opened = AdminSession::open(*endpoint, redisOptions.timeout());
    if (auto* problem = std::get_if<std::string>(&opened)) {
        std::fprintf(stderr, "jkjav-admin: %s\n", problem->c_str());
        return kExitFailed;
    }
    AdminSession& session = *std::get<std::unique_ptr<AdminSession>>(opened);

    if (*statusCommand) return runStatus(session, statusOptions);
    if (*seedCommand) return seedCampaign(*endpoint, session, seedOptions);
    if (*adjustCommand) return runAdjust(session, adjustOptions);
    if (*lookupCommand) return runLookup(session, lookupOptions);
    if (*cancelCommand) return runCancel(session, cancelOptions);
    if (*exportCommand) return runExport(session, exportOptions);
    if (*reconcileCommand) return runReconcile(session, reconcileOptions);
    if (*queueCommands.queue) return runQueue(session, queueCommands, queueOptions);
    return kExitBadArguments;
}
