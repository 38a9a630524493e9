// jkjav-admin: what an operator asks and does on the day.
//   jkjav-admin status               slots left per location, bookings made, the outbox backlog, the relays
//   jkjav-admin seed --campaign F    open the campaign for bookings (the only way counters are created)
#include <hiredis/hiredis.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "adapters/redis/redis_endpoint.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "jkjav_version.hpp"
#include "seed_command.hpp"

namespace {

using namespace jkjav;

struct ReplyDeleter {
    void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

Reply command(redisContext* context, std::initializer_list<std::string> words) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& word : words) {
        argv.push_back(word.data());
        lengths.push_back(word.size());
    }
    return Reply(static_cast<redisReply*>(
        redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data())));
}

int status(redisContext* context, const redis::RedisKeys& keys) {
    const Reply slots = command(context, {"HGETALL", keys.slots});
    const Reply capacity = command(context, {"HGETALL", keys.capacity});
    if (!slots || slots->type != REDIS_REPLY_ARRAY) {
        std::fprintf(stderr, "jkjav-admin: cannot read %s\n", keys.slots.c_str());
        return 1;
    }
    std::map<std::string, std::pair<long long, long long>> byLocation;  // remaining, capacity
    for (std::size_t i = 0; i + 1 < slots->elements; i += 2) {
        const std::string slot(slots->element[i]->str, slots->element[i]->len);
        byLocation[slot.substr(0, slot.find(':'))].first += std::atoll(slots->element[i + 1]->str);
    }
    for (std::size_t i = 0; capacity && i + 1 < capacity->elements; i += 2) {
        const std::string slot(capacity->element[i]->str, capacity->element[i]->len);
        byLocation[slot.substr(0, slot.find(':'))].second += std::atoll(capacity->element[i + 1]->str);
    }
    std::printf("%-12s %12s %12s\n", "location", "remaining", "capacity");
    long long remaining = 0, total = 0;
    for (const auto& [location, figures] : byLocation) {
        std::printf("%-12s %12lld %12lld\n", location.c_str(), figures.first, figures.second);
        remaining += figures.first;
        total += figures.second;
    }
    std::printf("%-12s %12lld %12lld\n", "all", remaining, total);

    const Reply references = command(context, {"GET", keys.sequence});
    std::printf("\nbooking references issued: %s\n",
                references && references->type == REDIS_REPLY_STRING ? references->str : "0");
    const Reply backlog = command(context, {"XLEN", keys.outbox});
    std::printf("outbox backlog (events not yet confirmed by Kafka): %lld\n",
                backlog && backlog->type == REDIS_REPLY_INTEGER ? backlog->integer : -1);
    const Reply consumers = command(context, {"XINFO", "CONSUMERS", keys.outbox, "relay"});
    if (consumers && consumers->type == REDIS_REPLY_ARRAY) {
        std::printf("relays (consumer group 'relay'):\n");
        for (std::size_t i = 0; i < consumers->elements; ++i) {
            const redisReply* consumer = consumers->element[i];
            std::string name;
            long long pending = 0, idle = 0;
            for (std::size_t f = 0; f + 1 < consumer->elements; f += 2) {
                const std::string field = consumer->element[f]->str;
                if (field == "name") name = consumer->element[f + 1]->str;
                if (field == "pending") pending = consumer->element[f + 1]->integer;
                if (field == "idle") idle = consumer->element[f + 1]->integer;
            }
            std::printf("  %-28s pending %-8lld idle %lld ms\n", name.c_str(), pending, idle);
        }
    } else {
        std::printf("relays: none has run yet\n");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string url = "redis://127.0.0.1:6379";
    CLI::App app{"jkjav-admin: the state of a jkjav deployment, and opening its campaign"};
    app.add_option("--redis-url", url, "redis://[[user]:password@]host[:port][/db]")->envname("REDIS_URL");
    app.set_version_flag("--version", std::string("jkjav-admin ") + cmd::kVersion);
    app.require_subcommand(1);
    app.fallthrough();  // "status --redis-url ..." as well as "--redis-url ... status"
    auto* statusCommand = app.add_subcommand("status", "Slots left, bookings made, outbox backlog, relays");
    auto* seedCommand = app.add_subcommand(
        "seed",
        "Open the campaign for bookings: create its slot counters (never overwriting one) and its marker");
    cmd::SeedOptions seedOptions;
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
    CLI11_PARSE(app, argc, argv);

    const auto endpoint = redis::parseRedisUrl(url);
    if (!endpoint) {
        std::fprintf(stderr, "jkjav-admin: '%s' is not a redis:// URL\n", url.c_str());
        return 2;
    }
    if (*seedCommand) return cmd::seedCampaign(*endpoint, seedOptions);
    const timeval timeout{2, 0};
    redisContext* context = redisConnectWithTimeout(endpoint->host.c_str(), endpoint->port, timeout);
    if (context == nullptr || context->err != 0) {
        std::fprintf(stderr, "jkjav-admin: cannot reach Redis at %s\n", url.c_str());
        return 1;
    }
    redisSetTimeout(context, timeout);
    if (!endpoint->password.empty()) {
        const Reply auth = endpoint->username.empty()
                               ? command(context, {"AUTH", endpoint->password})
                               : command(context, {"AUTH", endpoint->username, endpoint->password});
        if (!auth || auth->type == REDIS_REPLY_ERROR) {
            std::fprintf(stderr, "jkjav-admin: AUTH refused\n");
            return 1;
        }
    }
    if (endpoint->database != 0) command(context, {"SELECT", std::to_string(endpoint->database)});
    int code = 0;
    if (*statusCommand) code = status(context, redis::RedisKeys());
    redisFree(context);
    return code;
}
