#include "queue_view.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>

#include "app/booking_service.hpp"

namespace jkjav::cmd {

namespace {

std::string rfc3339(std::int64_t ms) {
    return app::formatRfc3339(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
}

std::string rate(double perSecond) {
    char text[32];
    std::snprintf(text, sizeof text, "%g/s", perSecond);
    return text;
}

}  // namespace

QueueStatus queueStatus(const app::QueueFigures& figures, std::optional<double> operatorRate,
                        const domain::QueueSettings& settings) {
    QueueStatus status;
    status.state = figures.nowMs < settings.opensAtMs ? "prequeue"
                   : figures.remaining <= 0           ? "closed"
                                                      : "open";
    status.paused = figures.paused;
    status.configuredRate = settings.admitPerSecond;
    status.operatorRate = operatorRate;
    status.effectiveRate = operatorRate.value_or(settings.admitPerSecond);
    status.figures = figures;
    status.cap = domain::admissionCap(figures.remaining, settings.overAdmitFactor);
    status.overAdmitFactor = settings.overAdmitFactor;
    status.opensAtMs = settings.opensAtMs;
    status.preQueueOpensAtMs = settings.preQueueOpensAtMs;
    return status;
}

std::string queueStatusText(const QueueStatus& s) {
    const auto& f = s.figures;
    std::string out;
    char line[256];
    auto add = [&](const char* format, auto... values) {
        std::snprintf(line, sizeof line, format, values...);
        out += line;
    };
    std::string state = s.state;
    if (s.state == "prequeue") state += " (opens " + rfc3339(s.opensAtMs) + ")";
    if (s.state == "closed") state += " (sold out)";
    add("queue:            %s\n", state.c_str());
    add("paused:           %s\n", s.paused ? "YES: nobody is admitted (jkjav-admin queue resume)" : "no");
    const std::string operatorRate = s.operatorRate ? rate(*s.operatorRate) : std::string("none");
    add("rate:             %s configured, operator's %s: admitting at %s\n", rate(s.configuredRate).c_str(),
        operatorRate.c_str(), s.paused ? "0/s (paused)" : rate(s.effectiveRate).c_str());
    add("length:           %lld in line, not yet admitted (%lld joined in all)\n",
        static_cast<long long>(f.length - f.admittedUpTo), static_cast<long long>(f.length));
    add("prequeued:        %lld\n", static_cast<long long>(f.preQueued));
    add("admitted up to:   place %lld\n", static_cast<long long>(f.admittedUpTo));
    add("outstanding:      %lld admissions of a cap of %lld (floor(%lld remaining x %g))\n",
        static_cast<long long>(f.outstanding), static_cast<long long>(s.cap),
        static_cast<long long>(f.remaining), s.overAdmitFactor);
    add("remaining slots:  %lld\n", static_cast<long long>(f.remaining));
    add("admitted total:   %lld\n", static_cast<long long>(f.admittedTotal));
    add("expired total:    %lld\n", static_cast<long long>(f.expiredTotal));
    return out;
}

std::string queueStatusJson(const QueueStatus& s) {
    const auto& f = s.figures;
    boost::json::object rates{{"configured", s.configuredRate}, {"effective", s.effectiveRate}};
    if (s.operatorRate) {
        rates["operator"] = *s.operatorRate;
    } else {
        rates["operator"] = nullptr;
    }
    boost::json::object out{{"state", s.state},
                            {"paused", s.paused},
                            {"admitPerSecond", std::move(rates)},
                            {"length", f.length - f.admittedUpTo},
                            {"joined", f.length},
                            {"preQueued", f.preQueued},
                            {"admittedUpTo", f.admittedUpTo},
                            {"outstanding", f.outstanding},
                            {"remainingSlots", f.remaining},
                            {"cap", s.cap},
                            {"admittedTotal", f.admittedTotal},
                            {"expiredTotal", f.expiredTotal},
                            {"opensAt", rfc3339(s.opensAtMs)},
                            {"preQueueOpensAt", rfc3339(s.preQueueOpensAtMs)}};
    return boost::json::serialize(out);
}

}  // namespace jkjav::cmd
