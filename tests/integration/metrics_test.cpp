// GET /metrics against the real server (two worker threads, so counts are merged across threads)
// and a real Redis: counters are exact, labels are route patterns, and promtool accepts a scrape.
#include <sys/wait.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "case_names.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

const char* kMetricsCampaign = R"({
  "name": "metrics",
  "eligibility": {"minAgeYears": 60, "referenceDate": "20210526", "allowNonMyKad": false},
  "states": [{"key": "kl", "name": "W.P. Kuala Lumpur"}],
  "locations": [
    {"code": "PWTC", "name": "PWTC", "state": "kl", "dates": {"from": "20210516", "to": "20210520"},
     "capacityPerDay": 1000},
    {"code": "ONE", "name": "One slot", "state": "kl", "dates": [{"date": "20210601", "capacity": 1}]},
    {"code": "WAIT", "name": "Waitlist", "state": "kl", "dates": [{"date": "20210601", "capacity": 1}]}
  ]
})";

// One parsed sample line: `name{label="value",...} number`.
struct Sample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

std::vector<Sample> parseExposition(const std::string& text) {
    std::vector<Sample> samples;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line.front() == '#') continue;
        Sample sample;
        const auto brace = line.find('{');
        const auto space = line.rfind(' ');
        sample.name = line.substr(0, std::min(brace, space));
        if (brace != std::string::npos) {
            // Label values here never hold '"' or ',' (patterns, codes, dates).
            std::string labels = line.substr(brace + 1, line.rfind('}') - brace - 1);
            std::istringstream pairs(labels);
            std::string pair;
            while (std::getline(pairs, pair, ',')) {
                const auto equals = pair.find('=');
                sample.labels[pair.substr(0, equals)] = pair.substr(equals + 2, pair.size() - equals - 3);
            }
        }
        sample.value = std::stod(line.substr(space + 1));
        samples.push_back(std::move(sample));
    }
    return samples;
}

class Scrape {
  public:
    explicit Scrape(std::string text) : text_(std::move(text)), samples_(parseExposition(text_)) {}
    // The sample with exactly these labels; 0 when absent (a counter nothing has counted yet).
    [[nodiscard]] double value(const std::string& name,
                               const std::map<std::string, std::string>& labels = {}) const {
        for (const auto& sample : samples_) {
            if (sample.name == name && sample.labels == labels) return sample.value;
        }
        return 0;
    }
    [[nodiscard]] bool has(const std::string& name) const {
        return std::any_of(samples_.begin(), samples_.end(), [&](const Sample& s) { return s.name == name; });
    }
    [[nodiscard]] const std::string& text() const { return text_; }

  private:
    std::string text_;
    std::vector<Sample> samples_;
};

class Metrics : public ServerSuite {
  protected:
    static void SetUpTestSuite() {
        startServers(kMetricsCampaign, std::map<std::string, std::string>{{"THREADS", "2"}});
    }

    static Scrape scrape() {
        HttpClient client(port());
        const auto reply = client.get("/metrics");
        EXPECT_EQ(reply.status, 200) << reply.body;
        return Scrape(reply.body);
    }
    static double bookings(const Scrape& scrape, const std::string& outcome) {
        return scrape.value("jkjav_bookings_total", {{"outcome", outcome}});
    }
    static double requests(const Scrape& scrape, const std::string& route, const std::string& method,
                           const std::string& status) {
        return scrape.value("jkjav_http_requests_total",
                            {{"route", route}, {"method", method}, {"status", status}});
    }
};

TEST_F(Metrics, AnswersTheTextFormat) {
    HttpClient client(port());
    const auto reply = client.get("/metrics");
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(reply.body.find("# TYPE jkjav_http_requests_total counter"), std::string::npos) << reply.body;
    EXPECT_NE(reply.body.find("# TYPE jkjav_http_request_duration_seconds histogram"), std::string::npos);
}

TEST_F(Metrics, CountsEveryBookingOfDistinctPeopleExactly) {
    constexpr int kPeople = 40;
    const Scrape before = scrape();
    for (int i = 0; i < kPeople; ++i) {
        // A new connection every few bookings: the kernel spreads them over both worker threads.
        HttpClient client(port());
        const auto reply = client.postJson("/booking", bookingBody(myKadFor(100 + i), "PWTC", "20210517"));
        ASSERT_EQ(reply.status, 200) << reply.body;
    }
    const Scrape after = scrape();
    EXPECT_EQ(bookings(after, "booked") - bookings(before, "booked"), kPeople);
    EXPECT_EQ(requests(after, "/booking", "POST", "200") - requests(before, "/booking", "POST", "200"),
              kPeople);
    EXPECT_EQ(after.value("jkjav_http_request_duration_seconds_count", {{"route", "/booking"}}) -
                  before.value("jkjav_http_request_duration_seconds_count", {{"route", "/booking"}}),
              kPeople);
    EXPECT_EQ(
        after.value("jkjav_http_request_duration_seconds_bucket", {{"route", "/booking"}, {"le", "+Inf"}}) -
            before.value("jkjav_http_request_duration_seconds_bucket",
                         {{"route", "/booking"}, {"le", "+Inf"}}),
        kPeople);
    // The bookings' Redis scripts were timed.
    EXPECT_GE(after.value("jkjav_redis_command_duration_seconds_count") -
                  before.value("jkjav_redis_command_duration_seconds_count"),
              kPeople);
}

TEST_F(Metrics, LabelsRequestsByRoutePatternNeverByPath) {
    HttpClient client(port());
    const Scrape before = scrape();
    ASSERT_EQ(client.get("/stations/PWTC").status, 200);
    ASSERT_EQ(client.get("/stations/NOWHERE").status, 404);
    ASSERT_EQ(client.get("/no/such/thing").status, 404);
    ASSERT_EQ(client.request("PUT", "/locations", "", {}).status, 405);
    const std::string lookup = "/booking/" + myKadFor(901) + "?phoneNumber=0123456789";
    ASSERT_EQ(client.get(lookup).status, 404);
    const Scrape after = scrape();
    auto delta = [&](const std::string& route, const std::string& method, const std::string& status) {
        return requests(after, route, method, status) - requests(before, route, method, status);
    };
    EXPECT_EQ(delta("/stations/{location}", "GET", "200"), 1);
    EXPECT_EQ(delta("/stations/{location}", "GET", "404"), 1);
    EXPECT_EQ(delta("unmatched", "GET", "404"), 1);
    EXPECT_EQ(delta("/locations", "PUT", "405"), 1);
    EXPECT_EQ(delta("/booking/{mysejahteraId}", "GET", "404"), 1);
    // The scrape before counted itself once it was answered.
    EXPECT_EQ(delta("/metrics", "GET", "200"), 1);
    // No raw path, id or phone number in any label.
    EXPECT_EQ(after.text().find("/stations/PWTC"), std::string::npos);
    EXPECT_EQ(after.text().find("NOWHERE"), std::string::npos);
    EXPECT_EQ(after.text().find(myKadFor(901)), std::string::npos);
    EXPECT_EQ(after.text().find("0123456789"), std::string::npos);
}

// One booking request, after some set-up, and the one outcome it must add.
struct OutcomeCase {
    const char* label;
    std::function<void(HttpClient&)> setUp;
    std::function<HttpReply(HttpClient&)> act;
    const char* outcome;
};
void PrintTo(const OutcomeCase& c, std::ostream* out) {
    *out << c.label << ": jkjav_bookings_total{outcome=\"" << c.outcome << "\"} +1, every other outcome +0";
}

std::string waitlistBody(const std::string& id) {
    std::string body = bookingBody(id, "WAIT", "20210601");
    body.back() = ',';
    return body + R"("waitlist":true})";
}

void book(HttpClient& client, const std::string& body) {
    ASSERT_LT(client.postJson("/booking", body).status, 300);
}

class Outcomes : public Metrics, public ::testing::WithParamInterface<OutcomeCase> {};

TEST_P(Outcomes, CountExactlyTheOutcome) {
    HttpClient client(port());
    GetParam().setUp(client);
    const Scrape before = scrape();
    const auto reply = GetParam().act(client);
    ASSERT_GT(reply.status, 0);
    const Scrape after = scrape();
    for (const std::string outcome : {"booked", "repeat", "full", "already_booked", "unknown_slot", "invalid",
                                      "not_eligible", "waitlisted", "cancelled", "unavailable"}) {
        EXPECT_EQ(bookings(after, outcome) - bookings(before, outcome), outcome == GetParam().outcome ? 1 : 0)
            << outcome << " (answered " << reply.status << " " << reply.body << ")";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Bookings, Outcomes,
    ::testing::Values(
        OutcomeCase{"booked", [](HttpClient&) {},
                    [](HttpClient& c) {
                        return c.postJson("/booking", bookingBody(myKadFor(201), "PWTC", "20210518"));
                    },
                    "booked"},
        OutcomeCase{"repeat", [](HttpClient& c) { book(c, bookingBody(myKadFor(202), "PWTC", "20210518")); },
                    [](HttpClient& c) {
                        return c.postJson("/booking", bookingBody(myKadFor(202), "PWTC", "20210518"));
                    },
                    "repeat"},
        OutcomeCase{"already_booked",
                    [](HttpClient& c) { book(c, bookingBody(myKadFor(203), "PWTC", "20210518")); },
                    [](HttpClient& c) {
                        return c.postJson("/booking", bookingBody(myKadFor(203), "PWTC", "20210519"));
                    },
                    "already_booked"},
        OutcomeCase{"full", [](HttpClient& c) { book(c, bookingBody(myKadFor(204), "ONE", "20210601")); },
                    [](HttpClient& c) {
                        return c.postJson("/booking", bookingBody(myKadFor(205), "ONE", "20210601"));
                    },
                    "full"},
        OutcomeCase{
            "waitlisted", [](HttpClient& c) { book(c, bookingBody(myKadFor(206), "WAIT", "20210601")); },
            [](HttpClient& c) { return c.postJson("/booking", waitlistBody(myKadFor(207))); }, "waitlisted"},
        OutcomeCase{"unknown_slot", [](HttpClient&) {},
                    [](HttpClient& c) {
                        return c.postJson("/booking", bookingBody(myKadFor(208), "PWTC", "20210601"));
                    },
                    "unknown_slot"},
        OutcomeCase{"invalid", [](HttpClient&) {},
                    [](HttpClient& c) {
                        return c.postJson("/booking", bookingBody(myKadFor(209), "PWTC", "2021-99-99"));
                    },
                    "invalid"},
        OutcomeCase{"not_eligible", [](HttpClient&) {},
                    [](HttpClient& c) {
                        return c.postJson("/booking", bookingBody("000101140001", "PWTC", "20210518"));
                    },
                    "not_eligible"},
        OutcomeCase{
            "cancelled", [](HttpClient& c) { book(c, bookingBody(myKadFor(210), "PWTC", "20210518")); },
            [](HttpClient& c) {
                return c.request("DELETE", "/booking/" + myKadFor(210) + "?phoneNumber=0123456789", "", {});
            },
            "cancelled"}),
    ByLabel());

TEST_F(Metrics, ReportsTheServersState) {
    HttpClient client(port());
    // The snapshot follows Redis within SNAPSHOT_MS: wait for the figure a booking left.
    book(client, bookingBody(myKadFor(301), "PWTC", "20210520"));
    const long long left = remaining("PWTC:20210520");
    EXPECT_TRUE(eventually([&] {
        return scrape().value("jkjav_slots_remaining", {{"location", "PWTC"}, {"date", "2021-05-20"}}) ==
               static_cast<double>(left);
    })) << scrape().text();
    const Scrape now = scrape();
    EXPECT_EQ(now.value("jkjav_ready"), 1);
    EXPECT_EQ(now.value("jkjav_redis_up"), 1);
    EXPECT_GE(now.value("jkjav_connections_open"), 1);  // this scrape's own
    EXPECT_LT(now.value("jkjav_snapshot_age_seconds"), 10);
    // No relay runs here: every booking event waits in the outbox.
    EXPECT_EQ(now.value("jkjav_outbox_backlog"),
              static_cast<double>(redis().integer({"XLEN", "jkjav:outbox"})));
    EXPECT_TRUE(now.has("jkjav_outbox_oldest_age_seconds"));
    EXPECT_EQ(now.value("jkjav_events_published_total"), 0);
    for (const char* name : {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
                             "process_max_fds", "process_start_time_seconds"})
        EXPECT_TRUE(now.has(name)) << name;
    EXPECT_GT(now.value("process_resident_memory_bytes"), 1e6);
}

TEST_F(Metrics, AScrapeAfterTrafficPassesPromtool) {
    if (std::system("command -v promtool >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "promtool is not installed (Debian package `prometheus`): scrape not checked";
    HttpClient client(port());
    book(client, bookingBody(myKadFor(401), "PWTC", "20210516"));
    ASSERT_EQ(client.get("/stations/PWTC").status, 200);
    ASSERT_EQ(client.get("/nowhere").status, 404);
    TempDir dir;
    const std::string file = dir.write("scrape.txt", scrape().text());
    const std::string command = "promtool check metrics < " + file + " > " + dir.path() + "/out.txt 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream out(dir.path() + "/out.txt");
    std::stringstream said;
    said << out.rdbuf();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << said.str();
}

// The waiting room's metrics (contract11.md), against a server with a queue: joins counted exactly
// once per decision, gauges equal to the store's figures, one estimate-error observation per
// admitted ticket, and promtool accepts the scrape.
const char* kQueueMetricsCampaign = R"({
  "name": "queue-metrics",
  "eligibility": {"minAgeYears": 60, "referenceDate": "20210526", "allowNonMyKad": false},
  "queue": {"opensAt": "2021-05-26T12:00:00+08:00", "admitPerSecond": 200},
  "locations": [{"code": "PWTC", "dates": [{"date": "20210601", "capacity": 50}]}]
})";

class QueueMetrics : public Metrics {
  protected:
    static void SetUpTestSuite() {
        startServers(kQueueMetricsCampaign,
                     std::map<std::string, std::string>{
                         {"THREADS", "2"}, {"QUEUE_SECRET", "a-test-queue-secret-of-more-than-32-bytes"}});
    }
    static HttpReply join(const std::string& id) {
        HttpClient client(port());
        return client.postJson("/queue", R"({"mysejahteraId":")" + id + R"("})");
    }
    static std::string ticketOf(const HttpReply& reply) {
        const auto json = reply.json();
        return json.is_object() && json.as_object().contains("ticket")
                   ? std::string(json.at("ticket").as_string())
                   : std::string();
    }
    static std::string stateOf(const HttpReply& reply) {
        const auto json = reply.json();
        return json.is_object() && json.as_object().contains("state")
                   ? std::string(json.at("state").as_string())
                   : std::string();
    }
    // Polls until the scrape's `name` equals `expected`; the last value seen.
    static double gaugeBecomes(const std::string& name, double expected) {
        double seen = -1;
        eventually([&] {
            seen = scrape().value(name);
            return seen == expected;
        });
        return seen;
    }
};

TEST_F(QueueMetrics, CountsJoinsOncePerDecisionAndGaugesEqualTheFigures) {
    constexpr int kPeople = 5;
    redis().command({"HSET", "jkjav:queue:state", "paused", "1"});  // nobody admitted while we count
    const Scrape before = scrape();
    for (int i = 0; i < kPeople; ++i) ASSERT_EQ(join(myKadFor(700 + i)).status, 200) << i;
    ASSERT_EQ(join(myKadFor(700)).status, 200) << "joining again: the same place, a `joined` decision";
    redis().command({"HSET", "jkjav:booking:" + myKadFor(799), "reference", "JKJAV-TEST"});
    ASSERT_EQ(join(myKadFor(799)).status, 409);
    ASSERT_EQ(join("900127015527").status, 403) << "too young for this campaign";
    ASSERT_EQ(join("12-34").status, 400);

    const Scrape counted = scrape();
    auto joins = [&](const std::string& outcome) {
        return counted.value("jkjav_queue_joins_total", {{"outcome", outcome}}) -
               before.value("jkjav_queue_joins_total", {{"outcome", outcome}});
    };
    EXPECT_EQ(joins("joined"), kPeople + 1);
    EXPECT_EQ(joins("already_booked"), 1);
    EXPECT_EQ(joins("not_eligible"), 1);
    EXPECT_EQ(joins("invalid"), 1);
    EXPECT_EQ(joins("not_open"), 0);
    EXPECT_EQ(joins("unavailable"), 0);
    EXPECT_EQ(counted.text().find(myKadFor(700)), std::string::npos) << "no label holds an id";

    // Once a round saw the pause, the store's figures stand still: the gauges must equal them.
    ASSERT_EQ(gaugeBecomes("jkjav_queue_paused", 1), 1);
    const long long inLine = redis().integer({"ZCARD", "jkjav:queue:lane"}) -
                             redis().integer({"HGET", "jkjav:queue:state", "admittedUpTo"});
    EXPECT_GE(inLine, kPeople);
    EXPECT_EQ(gaugeBecomes("jkjav_queue_length", static_cast<double>(inLine)), inLine);
    const Scrape paused = scrape();
    EXPECT_EQ(paused.value("jkjav_queue_admissions_outstanding"),
              redis().integer({"ZCARD", "jkjav:queue:admitted"}));
    // HGET of a field never written reads -1 here: none admitted yet.
    EXPECT_EQ(paused.value("jkjav_queue_admissions_total"),
              std::max(0LL, redis().integer({"HGET", "jkjav:queue:state", "admittedTotal"})));
    EXPECT_EQ(paused.value("jkjav_queue_expired_total"), 0);
    EXPECT_EQ(paused.value("jkjav_queue_prequeued"), 0);
    EXPECT_EQ(paused.value("jkjav_queue_open"), 1);
    EXPECT_EQ(paused.value("jkjav_queue_admit_rate"), 0) << "nobody is admitted while paused";
    EXPECT_EQ(paused.value("jkjav_queue_closes_total"), 0);
    redis().command({"HDEL", "jkjav:queue:state", "paused"});
}

TEST_F(QueueMetrics, EachAdmittedTicketObservesTheEstimatesErrorOnce) {
    constexpr int kPeople = 4;
    redis().command({"HDEL", "jkjav:queue:state", "paused"});
    const double before = scrape().value("jkjav_queue_wait_estimate_error_ratio_count");
    std::vector<std::string> tickets;
    for (int i = 0; i < kPeople; ++i) {
        const auto joined = join(myKadFor(750 + i));
        ASSERT_EQ(joined.status, 200) << joined.body;
        tickets.push_back(ticketOf(joined));
    }
    // Each client polls until admitted, then twice more with the ticket it was handed, as clients do.
    for (auto& ticket : tickets) {
        HttpClient client(port());
        HttpReply last;
        ASSERT_TRUE(eventually([&] {
            last = client.get("/queue/" + ticket);
            if (last.status == 200) ticket = ticketOf(last);
            return stateOf(last) == "admitted";
        })) << last.body;
        for (int again = 0; again < 2; ++again) {
            last = client.get("/queue/" + ticket);
            ASSERT_EQ(stateOf(last), "admitted") << last.body;
            ticket = ticketOf(last);
        }
    }
    const Scrape after = scrape();
    EXPECT_EQ(after.value("jkjav_queue_wait_estimate_error_ratio_count") - before, kPeople);
    EXPECT_EQ(after.value("jkjav_queue_wait_estimate_error_ratio_bucket", {{"le", "+Inf"}}) - before,
              kPeople);
    EXPECT_EQ(gaugeBecomes("jkjav_queue_paused", 0), 0);
    EXPECT_GE(gaugeBecomes("jkjav_queue_admissions_total",
                           redis().integer({"HGET", "jkjav:queue:state", "admittedTotal"})),
              kPeople);
}

TEST_F(QueueMetrics, AScrapeWithTheQueuePassesPromtool) {
    if (std::system("command -v promtool >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "promtool is not installed (Debian package `prometheus`): scrape not checked";
    ASSERT_EQ(join(myKadFor(780)).status, 200);
    ASSERT_EQ(gaugeBecomes("jkjav_queue_open", 1), 1);
    TempDir dir;
    const std::string file = dir.write("scrape.txt", scrape().text());
    const std::string command = "promtool check metrics < " + file + " > " + dir.path() + "/out.txt 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream out(dir.path() + "/out.txt");
    std::stringstream said;
    said << out.rdbuf();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << said.str();
    EXPECT_NE(scrape().text().find("# TYPE jkjav_queue_wait_estimate_error_ratio histogram"),
              std::string::npos);
}

}  // namespace
}  // namespace jkjav::testing
