#include "app/lookup_guard.hpp"

#include "domain/person_id.hpp"

namespace jkjav::app {

boost::asio::awaitable<LookupOutcome> LookupGuard::find(std::string_view personId,
                                                        std::string_view phoneNumber) {
    co_return co_await guarded(personId, phoneNumber, false);
}

boost::asio::awaitable<LookupOutcome> LookupGuard::cancel(std::string_view personId,
                                                          std::string_view phoneNumber) {
    co_return co_await guarded(personId, phoneNumber, true);
}

boost::asio::awaitable<LookupOutcome> LookupGuard::guarded(std::string_view personId,
                                                           std::string_view phoneNumber, bool cancelling) {
    auto parsed = domain::parsePersonId(personId);
    const auto* person = std::get_if<domain::PersonId>(&parsed);
    // An id that does not parse is refused by the use case before any lookup: nothing to count.
    if (policy_.maxFailures <= 0 || person == nullptr) {
        if (cancelling) co_return co_await bookings_.cancel(personId, phoneNumber);
        co_return co_await bookings_.find(personId, phoneNumber);
    }
    // Counted by the normalised id, so "900127-01-5527" and "900127015527" share one count. A
    // store that does not answer the count will not answer the lookup either: no lock then.
    const std::string key = person->value;
    const auto failures = co_await failures_.count(key);
    if (failures && *failures >= policy_.maxFailures) co_return lookupNotFound();

    LookupOutcome outcome;
    if (cancelling) {
        outcome = co_await bookings_.cancel(personId, phoneNumber);
    } else {
        outcome = co_await bookings_.find(personId, phoneNumber);
    }
    const auto* refused = std::get_if<BookingRefused>(&outcome);
    if (refused != nullptr && refused->outcome == domain::Outcome::kNotFound) {
        co_await failures_.record(key, policy_.window, policy_.maxFailures, policy_.lockFor);
    }
    co_return outcome;
}

}  // namespace jkjav::app
