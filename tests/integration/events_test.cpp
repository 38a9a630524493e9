// Booking events through the transactional outbox to a real Kafka-protocol broker (jkjav-devbroker),
// read back with a librdkafka consumer: none lost through broker outages or relay crashes.
#include <atomic>
#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <thread>

#include "kafka_probe.hpp"
#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

constexpr std::size_t kEverything = std::numeric_limits<std::size_t>::max();

// One of PWTC's 30 dates (20210516..20210614), so a crowd does not sell one out.
std::string pwtcDate(int n) {
    const int day = n % 30;
    char date[9];
    std::snprintf(date, sizeof date, "2021%02d%02d", day < 16 ? 5 : 6, day < 16 ? 16 + day : day - 15);
    return date;
}

// The outbox entries still in Redis, i.e. not acknowledged: event id -> person id.
std::map<std::string, std::string> outboxLeft(int redisPort) {
    std::map<std::string, std::string> left;
    redisContext* redis = redisConnect("127.0.0.1", redisPort);
    if (redis == nullptr || redis->err != 0) throw std::runtime_error("cannot reach redis");
    auto* reply = static_cast<redisReply*>(redisCommand(redis, "XRANGE jkjav:outbox - +"));
    for (std::size_t i = 0; reply != nullptr && i < reply->elements; ++i) {
        const redisReply* entry = reply->element[i];
        const redisReply* fields = entry->element[1];
        for (std::size_t f = 0; f + 1 < fields->elements; f += 2) {
            if (std::string(fields->element[f]->str) == "mysejahteraId")
                left["jkjav-" + std::string(entry->element[0]->str)] = fields->element[f + 1]->str;
        }
    }
    if (reply != nullptr) freeReplyObject(reply);
    redisFree(redis);
    return left;
}

class Events : public ::testing::Test {
  protected:
    void SetUp() override { redis_.start(); }

    std::unique_ptr<JkjavServer> server(const std::string& brokers,
                                        std::map<std::string, std::string> env = {}) {
        env["KAFKA_BROKERS"] = brokers;
        env.emplace("RELAY_CONSUMER", "relay-a");
        env.emplace("KAFKA_DELIVERY_TIMEOUT_MS", "1000");
        return std::make_unique<JkjavServer>(campaign_, redis_.url(), env, log_);
    }

    // person id -> reference, for every booking answered 200
    std::map<std::string, std::string> book(int port, int first, int count) {
        std::map<std::string, std::string> booked;
        HttpClient client(port);
        for (int i = first; i < first + count; ++i) {
            const auto reply = client.postJson("/booking", bookingBody(myKadFor(i), "PWTC", "20210516"));
            if (reply.status == 200)
                booked[myKadFor(i)] = std::string(reply.json().at("reference").as_string());
        }
        return booked;
    }

    // person id -> the event ids seen for them; waits until every booked person has one.
    static std::map<std::string, std::set<std::string>> eventsFor(
        KafkaProbe& probe, const std::map<std::string, std::string>& booked) {
        std::map<std::string, std::set<std::string>> seen;
        eventually(
            [&] {
                seen.clear();
                for (const auto& message : probe.readAtLeast(kEverything, std::chrono::milliseconds(200))) {
                    const auto event = boost::json::parse(message.value);
                    seen[message.key].insert(std::string(event.at("eventId").as_string()));
                }
                for (const auto& [person, reference] : booked) {
                    if (!seen.contains(person)) return false;
                }
                return true;
            },
            std::chrono::seconds(40));
        return seen;
    }

    [[nodiscard]] bool logHas(const std::string& text) const {
        std::ifstream in(log_);
        const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        return content.find(text) != std::string::npos;
    }

    static long long backlog(int port) {
        const auto ready = HttpClient(port).get("/readyz").json();
        const auto& value = ready.at("outboxBacklog");
        return value.is_null() ? -1 : value.as_int64();
    }

    TempDir dir_;
    std::string campaign_ = dir_.write("campaign.json", kTestCampaign);
    RedisServer redis_{dir_.path(), true};
    std::string log_ = dir_.path() + "/server.log";
};

TEST_F(Events, EveryBookingBecomesOneEventWithItsFields) {
    DevBroker broker(dir_.path());
    auto jkjav = server(broker.bootstrap());
    jkjav->start();
    const auto booked = book(jkjav->port(), 300'000, 40);
    ASSERT_EQ(booked.size(), 40u);
    book(jkjav->port(), 300'000, 1);  // a repeat: no second event

    KafkaProbe probe(broker.bootstrap(), "booking-slot");
    const auto seen = eventsFor(probe, booked);
    std::set<std::string> eventIds;
    for (const auto& message : probe.readAtLeast(kEverything, std::chrono::milliseconds(300))) {
        const auto event = boost::json::parse(message.value).as_object();
        const auto& booking = event.at("booking").as_object();
        ASSERT_TRUE(booked.contains(message.key)) << message.key;
        EXPECT_EQ(std::string(booking.at("mysejahteraId").as_string()),
                  message.key);  // keyed by person: one partition per person
        EXPECT_EQ(std::string(booking.at("reference").as_string()), booked.at(message.key));
        EXPECT_EQ(event.at("type"), "booking.created");
        EXPECT_EQ(booking.at("location"), "PWTC");
        EXPECT_EQ(booking.at("date"), "20210516");
        EXPECT_EQ(booking.at("phoneNumber"), "+60123456789");
        EXPECT_EQ(booking.at("firstName"), "Siti");
        EXPECT_EQ(booking.at("address"), "Jalan Ampang, Kuala Lumpur");
        EXPECT_EQ(event.at("occurredAt").as_string().size(), 20u);  // 2021-05-26T01:02:03Z
        eventIds.insert(std::string(event.at("eventId").as_string()));
    }
    EXPECT_EQ(seen.size(), 40u);
    EXPECT_EQ(eventIds.size(), 40u);  // one per booking, none shared
    EXPECT_TRUE(eventually([&] { return backlog(jkjav->port()) == 0; }));
}

TEST_F(Events, BookingsGoOnWhileTheBrokerIsAwayAndTheirEventsArriveAfterwards) {
    auto broker = std::make_unique<DevBroker>(dir_.path());
    auto jkjav = server(broker->bootstrap());
    jkjav->start();
    broker->kill();

    const auto booked = book(jkjav->port(), 400'000, 100);
    EXPECT_EQ(booked.size(), 100u);  // every booking answered 200 with the broker gone
    EXPECT_TRUE(eventually([&] { return backlog(jkjav->port()) == 100; }));
    jkjav->kill();  // SIGKILL: no chance to flush anything

    DevBroker fresh(dir_.path());
    auto again = server(fresh.bootstrap());
    again->start();
    KafkaProbe probe(fresh.bootstrap(), "booking-slot");
    const auto seen = eventsFor(probe, booked);
    for (const auto& [person, reference] : booked) EXPECT_TRUE(seen.contains(person)) << person;
    EXPECT_TRUE(eventually([&] { return backlog(again->port()) == 0; }));
}

TEST_F(Events, ARelayDyingBetweenPublishAndAcknowledgeDeliversAgainNeverZeroTimes) {
    DevBroker broker(dir_.path());
    auto dying = server(broker.bootstrap(), {{"JKJAV_FAILPOINT", "relay-exit-after-publish"}});
    dying->start();
    const auto booked = book(dying->port(), 500'000, 20);  // the first confirmed batch kills the process
    ASSERT_FALSE(booked.empty());
    ASSERT_EQ(dying->process().waitForExit(std::chrono::seconds(20)), 3);

    // Another relay (another name) takes over what the dead one had published but not acknowledged.
    auto survivor =
        server(broker.bootstrap(), {{"RELAY_CONSUMER", "relay-b"}, {"RELAY_CLAIM_IDLE_MS", "200"}});
    survivor->start();
    // Backlog 0: every entry, the dead relay's included, is confirmed by the broker and acknowledged.
    ASSERT_TRUE(eventually([&] { return backlog(survivor->port()) == 0; }, std::chrono::seconds(30)));
    KafkaProbe probe(broker.bootstrap(), "booking-slot");
    const auto seen = eventsFor(probe, booked);
    for (const auto& [person, reference] : booked) {
        ASSERT_TRUE(seen.contains(person)) << person;
        EXPECT_EQ(seen.at(person).size(), 1u) << person;  // duplicates carry the same eventId
    }
    // The crash fell between publish and acknowledge: some events are in the topic twice.
    const bool duplicated = eventually([&] {
        std::map<std::string, int> copies;
        for (const auto& message : probe.readAtLeast(kEverything, std::chrono::milliseconds(100))) {
            if (++copies[message.key] > 1) return true;
        }
        return false;
    });
    EXPECT_TRUE(duplicated);
}

// The same running relay (never restarted, no re-bootstrap needed) reconnects to the broker back at
// its old address and delivers the backlog.
TEST_F(Events, TheRunningRelayDeliversTheBacklogWhenTheBrokerReturnsAtItsAddress) {
    auto broker = std::make_unique<DevBroker>(dir_.path(), 1, std::vector<std::string>{"--port", "0"});
    const std::string address = broker->bootstrap();
    auto jkjav = server(address);
    jkjav->start();
    const auto before = book(jkjav->port(), 800'000, 5);
    {
        KafkaProbe probe(address, "booking-slot");
        ASSERT_EQ(eventsFor(probe, before).size(), 5u);  // the relay is connected
    }

    broker->kill();
    const auto booked = book(jkjav->port(), 810'000, 30);
    ASSERT_EQ(booked.size(), 30u);  // bookings go on while the broker is away
    ASSERT_TRUE(eventually([&] { return backlog(jkjav->port()) == 30; }));
    broker = std::make_unique<DevBroker>(
        dir_.path(), 1, std::vector<std::string>{"--port", address.substr(address.rfind(':') + 1)});
    ASSERT_EQ(broker->bootstrap(), address);

    // The same jkjav process, never restarted, drains the backlog into the new broker.
    KafkaProbe probe(address, "booking-slot");
    const auto seen = eventsFor(probe, booked);
    for (const auto& [person, reference] : booked) EXPECT_TRUE(seen.contains(person)) << person;
    EXPECT_TRUE(eventually([&] { return backlog(jkjav->port()) == 0; }, std::chrono::seconds(30)));
    EXPECT_TRUE(jkjav->process().running());
}

// The original server's name for the brokers: BROKER_URL alone (no KAFKA_BROKERS) starts the relay.
TEST_F(Events, TheOriginalsBrokerUrlSettingReachesTheBroker) {
    DevBroker broker(dir_.path());
    JkjavServer jkjav(campaign_, redis_.url(),
                      {{"BROKER_URL", broker.bootstrap()},
                       {"RELAY_CONSUMER", "relay-a"},
                       {"KAFKA_DELIVERY_TIMEOUT_MS", "1000"}},
                      log_);
    jkjav.start();
    const auto booked = book(jkjav.port(), 900, 3);
    ASSERT_EQ(booked.size(), 3u);
    KafkaProbe probe(broker.bootstrap(), "booking-slot");
    const auto seen = eventsFor(probe, booked);
    for (const auto& [person, reference] : booked) EXPECT_TRUE(seen.contains(person)) << person;
    EXPECT_TRUE(eventually([&] { return backlog(jkjav.port()) == 0; }));
}

// Kafka outlives a Redis that lost its data: its events prove the campaign started, so seeding the
// empty Redis again is refused unless forced.
TEST_F(Events, SeedingAnEmptiedRedisIsRefusedWhileKafkaHoldsTheCampaignsEvents) {
    DevBroker broker(dir_.path());
    auto running = server(broker.bootstrap());
    running->start();
    const auto booked = book(running->port(), 700, 3);
    ASSERT_EQ(booked.size(), 3u);
    KafkaProbe probe(broker.bootstrap(), "booking-slot");
    ASSERT_EQ(eventsFor(probe, booked).size(), 3u);

    ASSERT_TRUE(redis_.probe().command({"FLUSHALL"}).has_value());
    const std::vector<std::string> seed{"seed",       "--campaign",      campaign_,         "--redis-url",
                                        redis_.url(), "--kafka-brokers", broker.bootstrap()};
    const auto refused = runAdmin(seed);
    EXPECT_EQ(refused.exitCode, 3) << refused.output;
    EXPECT_NE(refused.output.find("Redis lost its data"), std::string::npos) << refused.output;
    EXPECT_EQ(redis_.probe().integer({"EXISTS", "jkjav:slots"}), 0);
    EXPECT_EQ(redis_.probe().integer({"EXISTS", "jkjav:campaign"}), 0);

    auto forced = seed;
    forced.emplace_back("--force-reseed");
    EXPECT_EQ(runAdmin(forced).exitCode, 0);
    EXPECT_EQ(redis_.probe().integer({"EXISTS", "jkjav:campaign"}), 1);
}

TEST_F(Events, ABrokerBackAtItsStableAddressWithOtherBrokerPortsGetsEveryEventThatWaited) {
    // --port 0: the bootstrap address is fixed for this broker's successors; the brokers behind it
    // (three, as the cluster's metadata names them) get new ports at every start.
    auto broker = std::make_unique<DevBroker>(dir_.path(), 3, std::vector<std::string>{"--port", "0"});
    const std::string stable = broker->bootstrap();
    auto jkjav = server(stable, {{"KAFKA_REBOOTSTRAP_MS", "1000"}});
    jkjav->start();
    const auto before = book(jkjav->port(), 600'000, 10);
    {
        KafkaProbe probe(stable, "booking-slot");
        ASSERT_EQ(eventsFor(probe, before).size(), 10u);  // the relay knows the first cluster
    }

    broker->kill();
    const auto booked = book(jkjav->port(), 610'000, 50);
    ASSERT_EQ(booked.size(), 50u);
    ASSERT_TRUE(eventually([&] { return backlog(jkjav->port()) == 50; }));
    // A second of failures: the relay drops what it learned and bootstraps a new producer.
    EXPECT_TRUE(eventually([&] { return logHas("a new producer starts again from the bootstrap servers"); },
                           std::chrono::seconds(30)));
    broker = std::make_unique<DevBroker>(
        dir_.path(), 3, std::vector<std::string>{"--port", stable.substr(stable.rfind(':') + 1)});
    ASSERT_EQ(broker->bootstrap(), stable);

    KafkaProbe probe(stable, "booking-slot");
    const auto seen = eventsFor(probe, booked);
    for (const auto& [person, reference] : booked) EXPECT_TRUE(seen.contains(person)) << person;
    EXPECT_TRUE(eventually([&] { return backlog(jkjav->port()) == 0; }));
}

TEST_F(Events, SigtermFinishesTheBatchInFlightSoEveryEventInKafkaIsAcknowledged) {
    // Every answer of this broker takes 200 ms: while bookings flow, a batch is nearly always in flight.
    DevBroker broker(dir_.path(), 1, {"--rtt-ms", "200"});
    auto jkjav = server(broker.bootstrap(), {{"KAFKA_DELIVERY_TIMEOUT_MS", "30000"}});
    jkjav->start();

    std::set<std::string> booked;
    std::thread crowd([&, port = jkjav->port()] {
        HttpClient client(port);
        for (int i = 0; i < 20'000; ++i) {
            const auto reply =
                client.postJson("/booking", bookingBody(myKadFor(700'000 + i), "PWTC", pwtcDate(i)));
            if (reply.status == 0) break;  // the server is gone
            if (reply.status == 200) booked.insert(myKadFor(700'000 + i));
        }
    });
    KafkaProbe probe(broker.bootstrap(), "booking-slot");
    const bool flowing =
        eventually([&] { return probe.readAtLeast(100, std::chrono::milliseconds(200)).size() >= 100; },
                   std::chrono::seconds(60));
    const auto exitStatus = jkjav->stop();  // SIGTERM while bookings and events flow
    crowd.join();
    ASSERT_TRUE(flowing);
    EXPECT_EQ(exitStatus, 0);

    // After the exit nothing more reaches Kafka, so the topic's content is final.
    std::set<std::string> inKafka;
    std::set<std::string> peopleInKafka;
    for (const auto& message : probe.readAll()) {
        inKafka.insert(std::string(boost::json::parse(message.value).at("eventId").as_string()));
        peopleInKafka.insert(message.key);
    }
    const auto left = outboxLeft(redis_.port());
    std::set<std::string> peopleLeft;
    for (const auto& [eventId, person] : left) {
        // Published means confirmed and then acknowledged: nothing in Kafka is still in the outbox.
        EXPECT_FALSE(inKafka.contains(eventId)) << eventId << " is in Kafka but was not acknowledged";
        peopleLeft.insert(person);
    }
    // Acknowledged == in Kafka: every booking's event is in exactly one of the two places.
    for (const auto& person : booked) {
        EXPECT_NE(peopleInKafka.contains(person), peopleLeft.contains(person)) << person;
    }
    EXPECT_EQ(inKafka.size() + left.size(), booked.size());
}

}  // namespace
}  // namespace jkjav::testing
