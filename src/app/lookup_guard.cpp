#include "app/lookup_guard.hpp"

#include "domain/person_id.hpp"

namespace jkjav::app {

boost::asio::awaitable<LookupOutcome> LookupGuard::find(std::string_view personId,
                                                        std::string_view phoneNumber) {
    co_return co_await guarded<LookupOutcome>(personId, phoneNumber, Lookup::kFind, lookupNotFound());
}

boost::asio::awaitable<LookupOutcome> LookupGuard::cancel(std::string_view personId,
                                                          std::string_view phoneNumber) {
    co_return co_await guarded<LookupOutcome>(personId, phoneNumber, Lookup::kCancel, lookupNotFound());
}

boost::asio::awaitable<WaitlistOutcome> LookupGuard::findWaitlistPlace(std::string_view personId,
                                                                       std::string_view phoneNumber) {
    co_return co_await guarded<WaitlistOutcome>(personId, phoneNumber, Lookup::kFindPlace,
                                                waitlistNotFound());
}

boost::asio::awaitable<WaitlistOutcome> LookupGuard::leaveWaitlist(std::string_view personId,
                                                                   std::string_view phoneNumber) {
    co_return co_await guarded<WaitlistOutcome>(personId, phoneNumber, Lookup::kLeave, waitlistNotFound());
}

template <>
boost::asio::awaitable<LookupOutcome> LookupGuard::attempt<LookupOutcome>(std::string_view personId,
                                                                          std::string_view phoneNumber,
                                                                          Lookup lookup) {
    // Not `lookup == kCancel ? co_await a : co_await b`: GCC 12 miscompiles co_await inside ?:.
    if (lookup == Lookup::kCancel) co_return co_await bookings_.cancel(personId, phoneNumber);
    co_return co_await bookings_.find(personId, phoneNumber);
}

template <>
boost::asio::awaitable<WaitlistOutcome> LookupGuard::attempt<WaitlistOutcome>(std::string_view personId,
                                                                              std::string_view phoneNumber,
                                                                              Lookup lookup) {
    if (lookup == Lookup::kLeave) co_return co_await bookings_.leaveWaitlist(personId, phoneNumber);
    co_return co_await bookings_.findWaitlistPlace(personId, phoneNumber);
}

template <class Outcome>
boost::asio::awaitable<Outcome> LookupGuard::guarded(std::string_view personId, std::string_view phoneNumber,
                                                     Lookup lookup, Outcome locked) {
    auto parsed = domain::parsePersonId(personId);
    const auto* person = std::get_if<domain::PersonId>(&parsed);
    // An id that does not parse is refused by the use case before any lookup: nothing to count.
    if (policy_.maxFailures <= 0 || person == nullptr) {
        co_return co_await attempt<Outcome>(personId, phoneNumber, lookup);
    }
    // Counted by the normalised id, so "900127-01-5527" and "900127015527" share one count. A
    // store that does not answer the count will not answer the lookup either: no lock then.
    const std::string key = person->value;
    const auto failures = co_await failures_.count(key);
    if (failures && *failures >= policy_.maxFailures) co_return locked;

    Outcome outcome = co_await attempt<Outcome>(personId, phoneNumber, lookup);
    const auto* refused = std::get_if<BookingRefused>(&outcome);
    if (refused != nullptr && refused->outcome == domain::Outcome::kNotFound) {
        co_await failures_.record(key, policy_.window, policy_.maxFailures, policy_.lockFor);
    }
    co_return outcome;
}

}  // namespace jkjav::app
