// The names of everything jkjav keeps in Redis, in one place.
#pragma once

#include <string>
#include <string_view>

namespace jkjav::redis {

struct RedisKeys {
    explicit RedisKeys(std::string prefix = "jkjav:")
        : prefix(std::move(prefix)),
          slots(this->prefix + "slots"),
          capacity(this->prefix + "capacity"),
          sequence(this->prefix + "seq"),
          outbox(this->prefix + "outbox"),
          campaign(this->prefix + "campaign"),
          queueLane(this->prefix + "queue:lane"),
          queueAdmitted(this->prefix + "queue:admitted"),
          queueState(this->prefix + "queue:state"),
          queueJoins(this->prefix + "queue:joins"),
          replicationFence(this->prefix + "replication-fence") {}

    [[nodiscard]] std::string booking(std::string_view personId) const {
        return prefix + "booking:" + std::string(personId);
    }
    // This person's place in a waitlist (hash: the slot and their details).
    [[nodiscard]] std::string waiting(std::string_view personId) const {
        return prefix + "waiting:" + std::string(personId);
    }
    // The queue of people waiting for one slot (list of ids, first come first).
    [[nodiscard]] std::string waitlist(std::string_view slotKey) const {
        return prefix + "waitlist:" + std::string(slotKey);
    }

    // Wrong phone numbers given for this id lately (string counter with an expiry).
    [[nodiscard]] std::string lookupFailures(std::string_view personId) const {
        return prefix + "lookupfail:" + std::string(personId);
    }

    std::string prefix;
    std::string slots;     // hash: slotKey -> remaining
    std::string capacity;  // hash: slotKey -> capacity as seeded
    std::string sequence;  // booking reference counter
    std::string outbox;    // stream of booking events for the relay
    std::string campaign;  // hash: the campaign marker (id, epoch, seededAt) written by seeding
    // The waiting room (adapters/queue/lua/*.lua): members in line (sorted set, score = their draw
    // key in [0, 1) before opensAt, 1 + arrival number after), admissions (sorted set, score = expiry
    // ms), and its bookkeeping (hash: admittedUpTo, lastAdmitMs, carry, seq, admittedTotal, expiredTotal).
    std::string queueLane;
    std::string queueAdmitted;
    std::string queueState;
    std::string queueJoins;  // member -> "<joinedAtMs>:<estimateSeconds>" of their first join
    // A counter written before each WAIT (replica_ack.hpp), only for its replication offset.
    std::string replicationFence;
};

}  // namespace jkjav::redis
