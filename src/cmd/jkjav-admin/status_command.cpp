#include "status_command.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

#include "exit_codes.hpp"
#include "status_view.hpp"

namespace jkjav::cmd {

CLI::App* addStatusCommand(CLI::App& app, StatusOptions& options) {
    auto* command = app.add_subcommand(
        "status", "Slots left per location and date, bookings, waitlists, the outbox backlog and the relays");
    auto* json =
        command->add_flag("--json", options.json, "One JSON object (shape: docs/admin.md) instead of tables");
    auto* watch = command->add_flag(
        "--watch", options.watch,
        "Redraw every second with a sell-out bar per location and bookings per second; Ctrl-C stops");
    command->add_option("--count", options.frames, "With --watch: stop after N frames")
        ->needs(watch)
        ->check(CLI::PositiveNumber);
    json->excludes(watch);
    return command;
}

int runStatus(AdminSession& session, const StatusOptions& options) {
    const redis::RedisKeys keys;
    using Clock = std::chrono::steady_clock;
    std::optional<std::pair<Clock::time_point, long long>> previous;  // when, references issued
    for (unsigned frame = 1;; ++frame) {
        const auto report = readStatus(session, keys, std::chrono::system_clock::now());
        if (!report) return session.reportFailure("status", std::nullopt);
        if (options.json) {
            std::printf("%s\n", statusJson(*report).c_str());
            return kExitOk;
        }
        if (!options.watch) {
            std::fputs(statusText(*report, {}).c_str(), stdout);
            return kExitOk;
        }
        const auto now = Clock::now();
        StatusText how{.perSlot = false, .bookingsPerSecond = std::nullopt};
        if (previous) {
            const double seconds = std::chrono::duration<double>(now - previous->first).count();
            how.bookingsPerSecond =
                static_cast<double>(report->referencesIssued - previous->second) / seconds;
        }
        previous = {now, report->referencesIssued};
        // Home, clear the screen, then the frame: one write, so it never flickers half drawn.
        std::printf("\x1b[H\x1b[2Jjkjav-admin status --watch (every 1 s; Ctrl-C stops)\n%s",
                    statusText(*report, how).c_str());
        std::fflush(stdout);
        if (options.frames != 0 && frame >= options.frames) return kExitOk;
        std::this_thread::sleep_until(now + std::chrono::seconds(1));
    }
}

}  // namespace jkjav::cmd
