#include "reconcile_command.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

#include "adapters/postgres/postgres_record_reader.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_record.hpp"
#include "app/reconciliation.hpp"
#include "domain/person_id.hpp"
#include "exit_codes.hpp"
#include "status_report.hpp"

namespace jkjav::cmd {
namespace {

constexpr std::string_view kScanCount = "1000";

// Every active booking (booking:* hashes) and every slot's booked count (capacity - remaining).
std::optional<app::LedgerView> readRedisLedger(AdminSession& session, const redis::RedisKeys& keys) {
    app::LedgerView ledger;
    const auto status = readStatus(session, keys, std::chrono::system_clock::now());
    if (!status) return std::nullopt;
    for (const SlotStatus& slot : status->slots) {
        if (slot.booked() != 0) ledger.booked[slot.location + ":" + slot.date] = slot.booked();
    }
    const std::string match = keys.booking("*");
    std::string cursor = "0";
    do {
        auto scan = session.command({"SCAN", cursor, "MATCH", match, "COUNT", kScanCount});
        if (!scan || scan->view().isError()) return std::nullopt;
        cursor = std::string(scan->view()[0].text());
        const redis::ReplyView found = scan->view()[1];
        for (std::size_t i = 0; i < found.size(); ++i) session.queue({"HGETALL", found[i].text()});
        for (std::size_t i = 0; i < found.size(); ++i) {
            const auto fields = session.nextReply();
            if (!fields || fields->view().isError()) return std::nullopt;
            if (fields->view().size() == 0) continue;  // cancelled since the SCAN saw it
            domain::Booking booking;
            redis::assignFromPairs(booking, fields->view());
            ledger.active.push_back(std::move(booking));
        }
    } while (cursor != "0");
    return ledger;
}

// Events still in the outbox (not yet confirmed by Kafka, so possibly not recorded): whom they
// concern and what they will change per slot once recorded.
std::optional<app::InFlight> readInFlight(AdminSession& session, const redis::RedisKeys& keys) {
    app::InFlight inFlight;
    std::string start = "-";
    for (;;) {
        auto page = session.command({"XRANGE", keys.outbox, start, "+", "COUNT", kScanCount});
        if (!page || page->view().isError()) return std::nullopt;
        const redis::ReplyView entries = page->view();
        for (std::size_t i = 0; i < entries.size(); ++i) {
            domain::BookingEvent event;
            redis::assignFromPairs(event, entries[i][1]);
            inFlight.persons.insert(event.booking.mysejahteraId);
            inFlight.bookedDelta[app::slotKey(event.booking)] += event.type == "booking.cancelled" ? -1 : 1;
        }
        if (entries.size() < 1000) break;
        start = "(" + std::string(entries[entries.size() - 1][0].text());
    }
    return inFlight;
}

struct Pass {
    std::vector<app::Difference> differences;
    std::size_t bookings = 0;
    std::size_t inFlight = 0;
};

std::variant<Pass, std::string> compareOnce(AdminSession& session, const ReconcileOptions& options) {
    const redis::RedisKeys keys;
    // The outbox first: an event leaving it after this read is already in Kafka, on its way.
    const auto inFlight = readInFlight(session, keys);
    auto redis = inFlight ? readRedisLedger(session, keys) : std::nullopt;
    if (!redis) return "Redis at " + session.where() + " failed: " + session.error();
    auto record = postgres::readRecordedLedger(options.databaseUrl);
    if (auto* problem = std::get_if<std::string>(&record)) return *problem;
    return Pass{app::reconcile(*redis, std::get<app::LedgerView>(record), *inFlight), redis->active.size(),
                inFlight->persons.size()};
}

// Names, phone numbers and addresses are personal data: only whether they differ is printed.
bool isPersonal(std::string_view field) {
    return field == "firstName" || field == "lastName" || field == "address" || field == "phoneNumber";
}

void print(const app::Difference& d) {
    const std::string person = domain::maskPersonal(d.person);
    switch (d.kind) {
        case app::DifferenceKind::kMissingInRecord:
            std::printf("missing in PostgreSQL: %s %s at %s\n", person.c_str(), d.reference.c_str(),
                        d.slot.c_str());
            break;
        case app::DifferenceKind::kExtraInRecord:
            std::printf("extra in PostgreSQL: %s %s at %s (no such active booking in Redis)\n",
                        person.c_str(), d.reference.c_str(), d.slot.c_str());
            break;
        case app::DifferenceKind::kFieldDiffers:
            if (isPersonal(d.field)) {
                std::printf("field differs: %s %s: %s (values not shown: personal data)\n", person.c_str(),
                            d.reference.c_str(), d.field.c_str());
            } else {
                std::printf("field differs: %s %s: %s is %s in Redis, %s in PostgreSQL\n", person.c_str(),
                            d.reference.c_str(), d.field.c_str(), d.inRedis.c_str(), d.inRecord.c_str());
            }
            break;
        case app::DifferenceKind::kCountDiffers:
            std::printf("booked count differs: %s: %s in Redis, %s in PostgreSQL\n", d.slot.c_str(),
                        d.inRedis.c_str(), d.inRecord.c_str());
            break;
    }
}

}  // namespace

CLI::App* addReconcileCommand(CLI::App& app, ReconcileOptions& options) {
    auto* command = app.add_subcommand("reconcile",
                                       "Compare Redis with PostgreSQL (the recorder's system of record): "
                                       "print every difference, exit 4 if any");
    command->add_option("--database-url", options.databaseUrl, "PostgreSQL connection URI (libpq)")
        ->envname("DATABASE_URL")
        ->required();
    command
        ->add_option("--settle-ms", options.settleMs,
                     "Differences are read again after this long; only those still there are reported "
                     "(events in transit land meanwhile)")
        ->check(CLI::Range(0, 600'000))
        ->capture_default_str();
    return command;
}

int runReconcile(AdminSession& session, const ReconcileOptions& options) {
    auto first = compareOnce(session, options);
    if (auto* problem = std::get_if<std::string>(&first)) {
        std::fprintf(stderr, "jkjav-admin reconcile: %s\n", problem->c_str());
        return kExitFailed;
    }
    Pass result = std::get<Pass>(std::move(first));
    if (!result.differences.empty() && options.settleMs > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(options.settleMs));
        auto second = compareOnce(session, options);
        if (auto* problem = std::get_if<std::string>(&second)) {
            std::fprintf(stderr, "jkjav-admin reconcile: %s\n", problem->c_str());
            return kExitFailed;
        }
        auto later = std::get<Pass>(std::move(second));
        later.differences = app::persisting(result.differences, later.differences);
        result = std::move(later);
    }
    for (const auto& difference : result.differences) print(difference);
    if (result.differences.empty()) {
        std::printf(
            "Redis and PostgreSQL agree: %zu active bookings (%zu people with events in flight not "
            "compared)\n",
            result.bookings, result.inFlight);
        return kExitOk;
    }
    std::printf("%zu difference(s) between Redis and PostgreSQL\n", result.differences.size());
    return kExitDifferences;
}

}  // namespace jkjav::cmd
