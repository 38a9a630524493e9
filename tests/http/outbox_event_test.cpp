// The relay's two mappings, without Redis or Kafka: a stream entry (as book.lua and cancel.lua
// write it) to a BookingEvent, and the event to the JSON the topic carries.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <boost/json/parse.hpp>
#include <deque>
#include <initializer_list>
#include <string>
#include <vector>

#include "adapters/kafka/kafka_event_publisher.hpp"
#include "adapters/redis/redis_outbox.hpp"
#include "adapters/redis/redis_record.hpp"

namespace jkjav {
namespace {

// A hiredis reply tree built by hand: what XREADGROUP hands the outbox for one entry.
class ReplyTree {
  public:
    redisReply* text(std::string_view value) {
        auto& stored = strings_.emplace_back(value);
        redisReply* node = add(REDIS_REPLY_STRING);
        node->str = stored.data();
        node->len = stored.size();
        return node;
    }
    redisReply* nil() { return add(REDIS_REPLY_NIL); }
    redisReply* array(std::vector<redisReply*> elements) {
        auto& stored = arrays_.emplace_back(std::move(elements));
        redisReply* node = add(REDIS_REPLY_ARRAY);
        node->element = stored.data();
        node->elements = stored.size();
        return node;
    }
    // [id, [field, value, ...]]
    redisReply* entry(std::string_view id,
                      std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
        std::vector<redisReply*> flat;
        for (const auto& [name, value] : fields) {
            flat.push_back(text(name));
            flat.push_back(text(value));
        }
        return array({text(id), array(std::move(flat))});
    }

  private:
    redisReply* add(int type) {
        redisReply& node = nodes_.emplace_back();
        node.type = type;
        return &node;
    }
    std::deque<redisReply> nodes_;
    std::deque<std::string> strings_;
    std::deque<std::vector<redisReply*>> arrays_;
};

TEST(OutboxEntries, EveryStreamFieldLandsInTheEvent) {
    ReplyTree tree;
    const auto* entry = tree.entry("1700000000000-3", {{"type", "booking.created"},
                                                       {"occurredAt", "2021-05-26T01:02:03Z"},
                                                       {"mysejahteraId", "900127015527"},
                                                       {"firstName", "Fadhil"},
                                                       {"lastName", "Yaacob"},
                                                       {"address", "Kuala Lumpur"},
                                                       {"location", "PWTC"},
                                                       {"phoneNumber", "+60123456789"},
                                                       {"date", "20210516"},
                                                       {"reference", "JK0000000001"}});
    const auto mapped = redis::outboxEntryFrom(redis::ReplyView(entry));
    ASSERT_TRUE(mapped);
    EXPECT_EQ(mapped->entryId, "1700000000000-3");
    const domain::BookingEvent expected{
        "jkjav-1700000000000-3", "booking.created", "2021-05-26T01:02:03Z",
        domain::Booking{"900127015527", "Fadhil", "Yaacob", "Kuala Lumpur", "PWTC", "+60123456789",
                        "20210516", "JK0000000001", "2021-05-26T01:02:03Z"}};
    EXPECT_EQ(mapped->event, expected);
}

TEST(OutboxEntries, FieldsAreReadByNameInAnyOrderAndUnknownOnesIgnored) {
    ReplyTree tree;
    const auto* entry = tree.entry("5-0", {{"reference", "JK2"},
                                           {"schemaVersion", "9"},
                                           {"type", "booking.cancelled"},
                                           {"mysejahteraId", "A12345678"}});
    const auto mapped = redis::outboxEntryFrom(redis::ReplyView(entry));
    ASSERT_TRUE(mapped);
    EXPECT_EQ(mapped->event.type, "booking.cancelled");
    EXPECT_EQ(mapped->event.booking.reference, "JK2");
    EXPECT_EQ(mapped->event.booking.mysejahteraId, "A12345678");
    EXPECT_EQ(mapped->event.booking.firstName, "");
    EXPECT_EQ(mapped->event.eventId, "jkjav-5-0");
}

TEST(OutboxEntries, AnEntryDeletedWhilePendingIsNoEvent) {
    ReplyTree tree;
    const auto* entry = tree.array({tree.text("7-0"), tree.nil()});  // XREADGROUP 0 after XDEL
    EXPECT_FALSE(redis::outboxEntryFrom(redis::ReplyView(entry)));
}

TEST(KafkaEvents, JsonCarriesTheEventAndTheWholeBooking) {
    const domain::BookingEvent event{
        "jkjav-1-0", "booking.created", "2021-05-26T01:02:03Z",
        domain::Booking{"900127015527", "Fadhil \"F\"", "Yaacob", "Jalan 1\nKL", "PWTC", "+60123456789",
                        "20210516", "JK0000000001", "2021-05-26T01:02:03Z"}};
    const auto json = boost::json::parse(kafka::eventJson(event)).as_object();
    EXPECT_EQ(json.size(), 4u);
    EXPECT_EQ(json.at("eventId"), "jkjav-1-0");
    EXPECT_EQ(json.at("type"), "booking.created");
    EXPECT_EQ(json.at("occurredAt"), "2021-05-26T01:02:03Z");
    const auto& booking = json.at("booking").as_object();
    EXPECT_EQ(booking.size(), 8u);
    EXPECT_EQ(booking.at("reference"), "JK0000000001");
    EXPECT_EQ(booking.at("mysejahteraId"), "900127015527");
    EXPECT_EQ(booking.at("firstName"), "Fadhil \"F\"");  // escaped, parsed back whole
    EXPECT_EQ(booking.at("lastName"), "Yaacob");
    EXPECT_EQ(booking.at("address"), "Jalan 1\nKL");
    EXPECT_EQ(booking.at("location"), "PWTC");
    EXPECT_EQ(booking.at("date"), "20210516");
    EXPECT_EQ(booking.at("phoneNumber"), "+60123456789");
}

TEST(KafkaEvents, AStreamEntryReachesTheTopicUnchanged) {
    ReplyTree tree;
    const auto* entry = tree.entry("9-1", {{"type", "booking.cancelled"},
                                           {"occurredAt", "2021-05-27T00:00:00Z"},
                                           {"mysejahteraId", "900127015527"},
                                           {"location", "UM"},
                                           {"date", "20210607"},
                                           {"reference", "JK0000000009"}});
    const auto json =
        boost::json::parse(kafka::eventJson(redis::outboxEntryFrom(redis::ReplyView(entry))->event));
    EXPECT_EQ(json.at("eventId"), "jkjav-9-1");
    EXPECT_EQ(json.at("type"), "booking.cancelled");
    EXPECT_EQ(json.at("booking").at("location"), "UM");
    EXPECT_EQ(json.at("booking").at("reference"), "JK0000000009");
}

// jkjav-admin cancel: the stream entry carries the operator's reason, and so does the event (beside
// type, not inside the booking); the API's cancellations have none and no "reason" key at all.
TEST(KafkaEvents, AnOperatorsCancellationCarriesItsReason) {
    ReplyTree tree;
    const auto* entry = tree.entry("9-2", {{"type", "booking.cancelled"},
                                           {"occurredAt", "2021-05-27T00:00:00Z"},
                                           {"reason", "registered twice"},
                                           {"mysejahteraId", "900127015527"},
                                           {"reference", "JK0000000009"}});
    const auto mapped = redis::outboxEntryFrom(redis::ReplyView(entry));
    ASSERT_TRUE(mapped);
    EXPECT_EQ(mapped->event.reason, "registered twice");
    const auto json = boost::json::parse(kafka::eventJson(mapped->event)).as_object();
    EXPECT_EQ(json.at("reason"), "registered twice");
    EXPECT_FALSE(json.at("booking").as_object().contains("reason"));

    const auto* plain = tree.entry("9-3", {{"type", "booking.cancelled"}, {"mysejahteraId", "900127015527"}});
    const auto unreasoned =
        boost::json::parse(kafka::eventJson(redis::outboxEntryFrom(redis::ReplyView(plain))->event))
            .as_object();
    EXPECT_FALSE(unreasoned.contains("reason"));
}

}  // namespace
}  // namespace jkjav
