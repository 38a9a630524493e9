#include "status_view.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <map>

#include "admin_format.hpp"

namespace jkjav::cmd {

namespace {

struct Totals {
    long long capacity = 0;
    long long booked = 0;
    long long remaining = 0;
    long long waiting = 0;
    void add(const SlotStatus& slot) {
        capacity += slot.capacity < 0 ? 0 : slot.capacity;
        booked += slot.booked();
        remaining += slot.remaining;
        waiting += slot.waiting;
    }
};

std::map<std::string, Totals> byLocation(const StatusReport& report) {
    std::map<std::string, Totals> out;
    for (const auto& slot : report.slots) out[slot.location].add(slot);
    return out;
}

Totals overall(const StatusReport& report) {
    Totals totals;
    for (const auto& slot : report.slots) totals.add(slot);
    return totals;
}

std::string format(const char* pattern, auto... values) {
    char line[512];
    std::snprintf(line, sizeof line, pattern, values...);
    return line;
}

void addTotals(boost::json::object& out, const Totals& totals) {
    out["capacity"] = totals.capacity;
    out["booked"] = totals.booked;
    out["remaining"] = totals.remaining;
    out["waiting"] = totals.waiting;
}

}  // namespace

std::string statusText(const StatusReport& report, const StatusText& how) {
    std::string out;
    if (report.campaign) {
        out += format("campaign '%s' (epoch %s, seeded %s)\n", report.campaign->id.c_str(),
                      report.campaign->epoch.c_str(), report.campaign->seededAt.c_str());
    } else {
        out += "campaign: NOT SEEDED (no marker: bookings are refused until `jkjav-admin seed`)\n";
    }
    if (how.perSlot && !report.slots.empty()) {
        out += format("\n%-12s %-8s %10s %10s %10s %8s\n", "location", "date", "capacity", "booked",
                      "remaining", "waiting");
        for (const auto& slot : report.slots) {
            out += format("%-12s %-8s %10s %10lld %10lld %8lld\n", slot.location.c_str(), slot.date.c_str(),
                          slot.capacity < 0 ? "?" : std::to_string(slot.capacity).c_str(), slot.booked(),
                          slot.remaining, slot.waiting);
        }
    }
    out += format("\n%-12s %10s %10s %10s %8s\n", "location", "capacity", "booked", "remaining", "waiting");
    for (const auto& [location, totals] : byLocation(report)) {
        out +=
            format("%-12s %10lld %10lld %10lld %8lld  %s\n", location.c_str(), totals.capacity, totals.booked,
                   totals.remaining, totals.waiting, sellOutBar(totals.booked, totals.capacity, 20).c_str());
    }
    const Totals all = overall(report);
    out += format("%-12s %10lld %10lld %10lld %8lld  %s\n", "all", all.capacity, all.booked, all.remaining,
                  all.waiting, sellOutBar(all.booked, all.capacity, 20).c_str());

    out += format("\nbookings held: %lld   references issued: %lld", all.booked, report.referencesIssued);
    if (how.bookingsPerSecond) out += format("   bookings/s: %.1f", *how.bookingsPerSecond);
    out += format("\noutbox backlog (events not yet confirmed by Kafka): %lld", report.outboxBacklog);
    if (report.outboxOldestAgeSeconds) out += format(", oldest %.1f s", *report.outboxOldestAgeSeconds);
    out += "\n";
    if (report.relays.empty()) {
        out += "relays: none has run yet\n";
    } else {
        out += "relays (consumer group 'relay'):\n";
        for (const auto& relay : report.relays) {
            out += format("  %-28s pending %-8lld idle %lld ms\n", relay.name.c_str(), relay.pending,
                          relay.idleMs);
        }
    }
    return out;
}

std::string statusJson(const StatusReport& report) {
    boost::json::object out;
    if (report.campaign) {
        out["campaign"] = {{"id", report.campaign->id},
                           {"epoch", report.campaign->epoch},
                           {"seededAt", report.campaign->seededAt}};
    } else {
        out["campaign"] = nullptr;
    }
    boost::json::array slots;
    for (const auto& slot : report.slots) {
        boost::json::object entry{{"location", slot.location}, {"date", slot.date}};
        if (slot.capacity < 0) {
            entry["capacity"] = nullptr;
        } else {
            entry["capacity"] = slot.capacity;
        }
        entry["booked"] = slot.booked();
        entry["remaining"] = slot.remaining;
        entry["waiting"] = slot.waiting;
        slots.push_back(std::move(entry));
    }
    out["slots"] = std::move(slots);
    boost::json::array locations;
    for (const auto& [location, totals] : byLocation(report)) {
        boost::json::object entry{{"location", location}};
        addTotals(entry, totals);
        locations.push_back(std::move(entry));
    }
    out["locations"] = std::move(locations);
    boost::json::object totals;
    addTotals(totals, overall(report));
    out["totals"] = std::move(totals);
    out["referencesIssued"] = report.referencesIssued;
    boost::json::object outbox{{"backlog", report.outboxBacklog}};
    if (report.outboxOldestAgeSeconds) {
        outbox["oldestAgeSeconds"] = *report.outboxOldestAgeSeconds;
    } else {
        outbox["oldestAgeSeconds"] = nullptr;
    }
    out["outbox"] = std::move(outbox);
    boost::json::array relays;
    for (const auto& relay : report.relays) {
        relays.push_back({{"name", relay.name}, {"pending", relay.pending}, {"idleMs", relay.idleMs}});
    }
    out["relays"] = std::move(relays);
    return boost::json::serialize(out);
}

}  // namespace jkjav::cmd
