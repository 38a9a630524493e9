#include "event_relay.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstdlib>
#include <string_view>

#include "adapters/kafka/kafka_event_publisher.hpp"
#include "adapters/redis/redis_connection.hpp"
#include "adapters/redis/redis_outbox.hpp"
#include "app/outbox_relay.hpp"
#include "booking_store_failpoint.hpp"

namespace jkjav::cmd {

namespace asio = boost::asio;

namespace {

#ifdef JKJAV_TEST_SEAMS
// Test seam, compiled only into test builds (-DJKJAV_TEST_SEAMS=ON, which JKJAV_BUILD_TESTS turns
// on; the Docker image has neither). JKJAV_FAILPOINT=relay-exit-after-publish, for the "relay dies
// between produce and acknowledge" test: exits the whole process right after the broker confirmed
// a batch, before the outbox hears of it.
class ExitAfterPublish final : public app::EventPublisher {
  public:
    explicit ExitAfterPublish(app::EventPublisher& inner) : inner_(inner) {}
    asio::awaitable<std::vector<bool>> publish(std::span<const app::OutboxEntry> entries) override {
        auto stored = co_await inner_.publish(entries);
        if (std::find(stored.begin(), stored.end(), true) != stored.end()) {
            spdlog::warn("failpoint relay-exit-after-publish: exiting before acknowledging");
            std::_Exit(3);
        }
        co_return stored;
    }
    asio::awaitable<void> rebootstrap() override { return inner_.rebootstrap(); }

  private:
    app::EventPublisher& inner_;
};

std::string_view failpointFromEnvironment() {
    const char* name = std::getenv("JKJAV_FAILPOINT");
    return name == nullptr ? std::string_view() : std::string_view(name);
}

// The publisher the failpoint `name` puts around `real`; nullptr (after logging why) for a name no
// failpoint has.
std::unique_ptr<app::EventPublisher> failpointAround(app::EventPublisher& real, std::string_view name) {
    if (name == "relay-exit-after-publish") return std::make_unique<ExitAfterPublish>(real);
    spdlog::critical("JKJAV_FAILPOINT: '{}' is not a failpoint (relay-exit-after-publish, {})", name,
                     kBookingStoreThrows);
    return nullptr;
}
#else
// Production builds: no failpoint, whatever the environment says.
std::string_view failpointFromEnvironment() { return {}; }
std::unique_ptr<app::EventPublisher> failpointAround(app::EventPublisher&, std::string_view) {
    return nullptr;
}
#endif

}  // namespace

struct EventRelay::Parts {
    asio::io_context context{1};
    app::SteadyClock clock;
    std::shared_ptr<redis::RedisConnection> connection;
    std::unique_ptr<redis::RedisOutbox> outbox;
    std::unique_ptr<kafka::KafkaEventPublisher> publisher;
    std::unique_ptr<app::EventPublisher> failpoint;  // test builds only: JKJAV_FAILPOINT
    std::unique_ptr<app::OutboxRelay> relay;
};

std::unique_ptr<EventRelay> EventRelay::start(const ServerConfig& config,
                                              redis::SentinelWatch* sentinelWatch) {
    auto created = kafka::KafkaEventPublisher::create({.brokers = config.kafkaBrokers,
                                                       .topic = config.kafkaTopic,
                                                       .deliveryTimeout = config.kafkaDeliveryTimeout});
    if (auto* error = std::get_if<std::string>(&created)) {
        spdlog::critical("{}", *error);
        return nullptr;
    }
    auto parts = std::make_unique<Parts>();
    parts->publisher = std::move(std::get<0>(created));
    // Its WAIT (confirmReplicated) may take its whole timeout on top of an ordinary reply's time.
    parts->connection = redis::RedisConnection::create(
        parts->context.get_executor(), config.redis,
        {.commandTimeout =
             std::max(config.redisTimeout, std::chrono::milliseconds(2000)) +
             (config.replicaAck.required() ? config.replicaAck.timeout : std::chrono::milliseconds(0))});
    if (sentinelWatch != nullptr) sentinelWatch->follow(parts->connection);
    parts->outbox = std::make_unique<redis::RedisOutbox>(
        parts->connection, redis::RedisKeys(),
        redis::OutboxOptions{
            .consumer = config.relayConsumer, .claimIdle = config.relayClaimIdle, .ack = config.replicaAck});
    app::EventPublisher* publisher = parts->publisher.get();
    if (const auto failpoint = failpointFromEnvironment();
        !failpoint.empty() && failpoint != kBookingStoreThrows) {
        parts->failpoint = failpointAround(*parts->publisher, failpoint);
        if (!parts->failpoint) return nullptr;
        publisher = parts->failpoint.get();
    }
    parts->relay =
        std::make_unique<app::OutboxRelay>(*parts->outbox, *publisher, parts->clock,
                                           app::RelayOptions{.rebootstrapAfter = config.kafkaRebootstrap});
    spdlog::info(
        "relay: booking events to Kafka {} topic {} as consumer '{}' (re-bootstrap after {} ms without "
        "delivery)",
        config.kafkaBrokers, config.kafkaTopic, config.relayConsumer, config.kafkaRebootstrap.count());
    return std::unique_ptr<EventRelay>(new EventRelay(std::move(parts)));
}

EventRelay::EventRelay(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {
    parts_->connection->start();
    // The relay's own end (after stop(), its batch in flight finished) releases the thread.
    asio::co_spawn(parts_->context, parts_->relay->run(), [parts = parts_.get()](std::exception_ptr failure) {
        if (failure) std::rethrow_exception(failure);  // an impossible state: the thread ends the process
        spdlog::info("relay: stopped, {} events delivered", parts->relay->deliveredTotal());
        parts->connection->stop();
        parts->context.stop();
    });
    thread_ = std::thread([context = &parts_->context] {
        try {
            context->run();
        } catch (const std::exception& e) {
            spdlog::critical("relay thread failed: {}", e.what());
            std::_Exit(1);
        }
    });
}

std::uint64_t EventRelay::deliveredTotal() const { return parts_->relay->deliveredTotal(); }

std::uint64_t EventRelay::unreplicatedTotal() const { return parts_->relay->unreplicatedTotal(); }

EventRelay::~EventRelay() {
    // Drain: the batch in flight gets its delivery reports (bounded by the delivery timeout) and
    // is acknowledged; what was not yet read stays in the outbox for the next start (same consumer
    // name) or another relay (claim): at least once, never lost.
    asio::post(parts_->context, [relay = parts_->relay.get()] { relay->stop(); });
    thread_.join();
}

}  // namespace jkjav::cmd
