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
          outbox(this->prefix + "outbox") {}

    [[nodiscard]] std::string booking(std::string_view personId) const {
        std::string key = prefix + "booking:";
        key.append(personId);
        return key;
    }

    std::string prefix;
    std::string slots;     // hash: slotKey -> remaining
    std::string capacity;  // hash: slotKey -> capacity as seeded
    std::string sequence;  // booking reference counter
    std::string outbox;    // stream of booking events for the relay
};

}  // namespace jkjav::redis
