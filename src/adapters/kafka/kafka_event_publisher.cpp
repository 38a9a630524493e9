#include "adapters/kafka/kafka_event_publisher.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <utility>

#include "adapters/kafka/kafka_options.hpp"
#include "adapters/record_fields.hpp"

namespace jkjav::kafka {
namespace {

enum class Delivery : std::uint8_t { kPending, kStored, kFailed };

struct DeliverySlot {
    Delivery state = Delivery::kPending;
    std::size_t* outstanding = nullptr;
};

// librdkafka calls this from rd_kafka_poll(), i.e. on the relay's own thread.
void onDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
    auto* slot = static_cast<DeliverySlot*>(message->_private);
    if (slot == nullptr) return;
    slot->state = message->err == RD_KAFKA_RESP_ERR_NO_ERROR ? Delivery::kStored : Delivery::kFailed;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        spdlog::debug("kafka: delivery failed: {}", rd_kafka_err2str(message->err));
    }
    --*slot->outstanding;
}

}  // namespace

std::string eventJson(const domain::BookingEvent& event) {
    // The booking's described fields but createdAt: the event's occurredAt says when it happened.
    boost::json::object booking;
    adapters::forEachField(event.booking, [&](std::string_view name, const auto& value) {
        if (name != "createdAt") booking[name] = value;
    });
    boost::json::object value{{"eventId", event.eventId},
                              {"type", event.type},
                              {"occurredAt", event.occurredAt},
                              {"booking", booking}};
    if (!event.reason.empty()) value["reason"] = event.reason;  // only an operator's cancellation has one
    return boost::json::serialize(value);
}

namespace {

std::variant<rd_kafka_t*, std::string> newProducer(const KafkaSettings& settings) {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    const std::string timeout = std::to_string(settings.deliveryTimeout.count());
    const KafkaOption options[] = {
        {"bootstrap.servers", settings.brokers},
        {"enable.idempotence", "true"},  // no duplicates or reordering from the producer's own retries
        {"acks", "all"},
        {"message.timeout.ms", timeout},
        {"linger.ms", "5"},
        {"reconnect.backoff.max.ms", "2000"},
        {"log_level", "3"},
    };
    if (auto refused = applyKafkaOptions(conf, options)) return *std::move(refused);
    rd_kafka_conf_set_dr_msg_cb(conf, onDelivery);
    rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (producer == nullptr) return std::string("kafka: ") + error;
    return producer;
}

}  // namespace

std::variant<std::unique_ptr<KafkaEventPublisher>, std::string> KafkaEventPublisher::create(
    const KafkaSettings& settings) {
    auto created = newProducer(settings);
    if (auto* error = std::get_if<std::string>(&created)) return std::move(*error);
    return std::unique_ptr<KafkaEventPublisher>(
        new KafkaEventPublisher(std::get<rd_kafka_t*>(created), settings));
}

KafkaEventPublisher::KafkaEventPublisher(rd_kafka_s* producer, KafkaSettings settings)
    : producer_(producer), settings_(std::move(settings)) {}

void KafkaEventPublisher::replaceProducer(const char* why) {
    auto created = newProducer(settings_);
    if (auto* error = std::get_if<std::string>(&created)) {
        spdlog::error("{} (keeping the current producer)", *error);
        return;
    }
    spdlog::warn("kafka: {}: a new producer starts again from the bootstrap servers {}", why,
                 settings_.brokers);
    // publish() waits for every report, so the old producer holds no message: nothing is lost here,
    // and what it failed to deliver is still pending in the outbox.
    rd_kafka_destroy(std::exchange(producer_, std::get<rd_kafka_t*>(created)));
}

boost::asio::awaitable<void> KafkaEventPublisher::rebootstrap() {
    replaceProducer("no delivery confirmed for a while");
    co_return;
}

KafkaEventPublisher::~KafkaEventPublisher() {
    // publish() always waits for its reports, so nothing in flight refers to freed slots here.
    rd_kafka_flush(producer_, 2000);
    rd_kafka_destroy(producer_);
}

boost::asio::awaitable<std::vector<bool>> KafkaEventPublisher::publish(
    std::span<const app::OutboxEntry> entries) {
    std::vector<DeliverySlot> slots(entries.size());
    std::size_t outstanding = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const std::string value = eventJson(entries[i].event);
        const std::string& key = entries[i].event.booking.mysejahteraId;
        slots[i].outstanding = &outstanding;
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
        for (int attempt = 0; attempt < 100; ++attempt) {
            err = rd_kafka_producev(
                producer_, RD_KAFKA_V_TOPIC(settings_.topic.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
                RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(&slots[i]), RD_KAFKA_V_END);
            if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) break;
            rd_kafka_poll(producer_, 10);  // make room: serve delivery reports
        }
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            ++outstanding;
        } else {
            slots[i].state = Delivery::kFailed;
            spdlog::warn("kafka: produce refused: {}", rd_kafka_err2str(err));
        }
    }

    // Every produced message gets exactly one delivery report within message.timeout.ms; past
    // that (plus a margin) purge, which makes librdkafka report the rest as failed at once.
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    const auto deadline =
        std::chrono::steady_clock::now() + settings_.deliveryTimeout + std::chrono::seconds(5);
    bool purged = false;
    while (outstanding > 0) {
        rd_kafka_poll(producer_, 0);
        if (outstanding == 0) break;
        if (!purged && std::chrono::steady_clock::now() > deadline) {
            rd_kafka_purge(producer_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
            purged = true;
        }
        timer.expires_after(std::chrono::milliseconds(2));
        co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }

    // An idempotent producer that lost its producer id for good (e.g. the broker came back empty)
    // refuses everything from then on; only a new one can deliver again.
    if (rd_kafka_fatal_error(producer_, nullptr, 0) != RD_KAFKA_RESP_ERR_NO_ERROR) {
        char reason[512];
        rd_kafka_fatal_error(producer_, reason, sizeof reason);
        replaceProducer(reason);
    }

    std::vector<bool> stored(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) stored[i] = slots[i].state == Delivery::kStored;
    co_return stored;
}

}  // namespace jkjav::kafka
