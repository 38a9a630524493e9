#include "app/booking_service.hpp"

#include <cstdio>
#include <ctime>

#include "app/queue_service.hpp"
#include "domain/eligibility.hpp"
#include "domain/phone_number.hpp"

namespace jkjav::app {

using domain::Outcome;

std::string formatRfc3339(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

BookingObserver& noBookingObserver() {
    struct Nobody final : BookingObserver {
        void decided(domain::Outcome) override {}
    };
    static Nobody nobody;
    return nobody;
}

Outcome outcomeOf(const BookingOutcome& outcome) {
    if (const auto* confirmed = std::get_if<BookingConfirmed>(&outcome))
        return confirmed->alreadyHeld ? Outcome::kAlreadyHeld : Outcome::kBooked;
    if (std::holds_alternative<BookingWaitlisted>(outcome)) return Outcome::kWaitlisted;
    return std::get<BookingRefused>(outcome).outcome;
}

BookingOutcome BookingService::observed(BookingOutcome outcome) {
    observer_.decided(outcomeOf(outcome));
    return outcome;
}

namespace {

// What a valid booking form asks the store for: everything book() decides before it waits.
struct StoreRequest {
    domain::Booking draft;
    std::string slotKey;
    std::string queueMember;
    bool waitlistInLine = false;
};

// The checks that need no store, and the request for it: a plain function, so that what they use
// (the validated form, the eligibility, the queue pass) is not kept in book()'s coroutine frame
// across the store's wait. The frame shrinks from 1504 to 1216 bytes: still over the 1020 that
// Asio recycles, so it is allocated for every booking (glibc's memalign), but callgrind counts a
// third of the instructions there for the smaller one.
std::variant<BookingRefused, StoreRequest> requestFor(const domain::BookingForm& form,
                                                      std::optional<std::string_view> queueTicket,
                                                      const domain::Campaign& campaign,
                                                      const QueueTickets* queueTickets, const Clock& clock) {
    auto validated = domain::validateBookingForm(form);
    if (auto* errors = std::get_if<std::vector<domain::FieldError>>(&validated)) {
        return BookingRefused{Outcome::kInvalidRequest, "The booking has invalid fields.",
                              std::move(*errors)};
    }
    auto& application = std::get<domain::BookingApplication>(validated);

    switch (domain::judgeEligibility(campaign.eligibility(), application.person)) {
        case domain::EligibilityVerdict::kEligible:
            break;
        case domain::EligibilityVerdict::kTooYoung:
            return BookingRefused{Outcome::kNotEligible,
                                  "This campaign is for people aged " +
                                      std::to_string(campaign.eligibility()->minAgeYears) + " and over.",
                                  {}};
        case domain::EligibilityVerdict::kAgeUnprovable:
            return BookingRefused{Outcome::kNotEligible,
                                  "This campaign needs a MyKad number: other ids carry no date of birth.",
                                  {}};
    }

    // Checked here as well as in the store: an unknown slot costs no round trip.
    if (campaign.findOffer(application.location, application.date) == nullptr) {
        return BookingRefused{Outcome::kUnknownSlot,
                              "The campaign offers no slot at " + application.location + " on " +
                                  application.date.compact() + ".",
                              {}};
    }

    // The waiting room: only a person it admitted books, with their own ticket. Whether the
    // admission is still valid is the store's to say, in the same step as the booking.
    StoreRequest request;
    if (queueTickets != nullptr && campaign.queue()) {
        auto pass = queuePassFor(*queueTickets, queueTicket, application.person.value);
        if (const auto* refused = std::get_if<Outcome>(&pass)) {
            return BookingRefused{*refused, std::string(domain::spellingOf(*refused).message), {}};
        }
        request.queueMember = std::get<std::string>(std::move(pass));
        // Sold out, the line is offered the waitlist (contract: closed answers' "waitlist": true).
        request.waitlistInLine = form.waitlist && campaign.queue()->offerWaitlist;
    }

    request.slotKey = domain::slotKey(application.location, application.date);
    request.draft = domain::Booking{.mysejahteraId = std::move(application.person.value),
                                    .firstName = std::move(application.firstName),
                                    .lastName = std::move(application.lastName),
                                    .address = std::move(application.address),
                                    .location = std::move(application.location),
                                    .phoneNumber = std::move(application.phoneNumber),
                                    .date = application.date.compact(),
                                    .reference = {},  // the store assigns it
                                    .createdAt = formatRfc3339(clock.now())};
    return request;
}

}  // namespace

// Every answer goes through observed(): a plain call, not a nested coroutine around this one,
// which cost a frame and a resumption per booking.
boost::asio::awaitable<BookingOutcome> BookingService::book(const domain::BookingForm& form,
                                                            std::optional<std::string_view> queueTicket) {
    auto request = requestFor(form, queueTicket, campaign_, queueTickets_, clock_);
    if (auto* refused = std::get_if<BookingRefused>(&request)) co_return observed(std::move(*refused));
    const StoreRequest& ready = std::get<StoreRequest>(request);
    StoreResult stored = co_await store_.book(ready.draft, ready.slotKey, form.waitlist,
                                              QueuePass{ready.queueMember, ready.waitlistInLine});

    switch (stored.outcome) {
        case Outcome::kBooked:
            co_return observed(BookingConfirmed{std::move(stored.booking), false});
        case Outcome::kAlreadyHeld:
            co_return observed(BookingConfirmed{std::move(stored.booking), true});
        case Outcome::kWaitlisted:
            co_return observed(
                BookingWaitlisted{ready.draft.location, ready.draft.date, stored.waitlistPosition});
        default:
            break;
    }
    // Every refusal of the store is answered as the outcome table words it.
    const Outcome refusal = domain::isSuccess(stored.outcome) ? Outcome::kStoreUnavailable : stored.outcome;
    co_return observed(BookingRefused{refusal, std::string(domain::spellingOf(refusal).message), {}});
}

namespace {

struct Credentials {
    std::string personId;
    std::string phoneNumber;
};

std::variant<Credentials, BookingRefused> checkCredentials(std::string_view personId,
                                                           std::string_view phoneNumber) {
    std::vector<domain::FieldError> errors;
    Credentials credentials;
    auto person = domain::parsePersonId(personId);
    if (auto* problem = std::get_if<domain::Problem>(&person)) {
        errors.push_back({"mysejahteraId", problem->message});
    } else {
        credentials.personId = std::get<domain::PersonId>(person).value;
    }
    // Any number a booking may have been made with, not only mobiles: see parsePhoneCredential.
    auto phone = domain::parsePhoneCredential(phoneNumber);
    if (auto* problem = std::get_if<domain::Problem>(&phone)) {
        errors.push_back({"phoneNumber", problem->message});
    } else {
        credentials.phoneNumber = std::get<std::string>(phone);
    }
    if (!errors.empty())
        return BookingRefused{Outcome::kInvalidRequest, "Invalid lookup.", std::move(errors)};
    return credentials;
}

LookupOutcome toOutcome(FindResult result) {
    switch (result.outcome) {
        case Outcome::kFound:
        case Outcome::kCancelled:
            return BookingFound{std::move(result.booking), std::move(result.promotedPersonId)};
        case Outcome::kNotFound:
            return lookupNotFound();
        case Outcome::kUnconfirmed:  // a cancellation replicas did not confirm in time
            return BookingRefused{
                Outcome::kUnconfirmed,
                "The cancellation was saved but not yet confirmed by a standby copy of the store; retry: "
                "once it took effect, the booking is no longer found (404).",
                {}};
        default:
            break;
    }
    return BookingRefused{Outcome::kStoreUnavailable, "Bookings are briefly unavailable; retry shortly.", {}};
}

WaitlistOutcome toWaitlistOutcome(WaitlistResult result) {
    switch (result.outcome) {
        case Outcome::kFound:
        case Outcome::kCancelled:
            return std::move(result.place);
        case Outcome::kNotFound:
            return waitlistNotFound();
        default:
            break;
    }
    return BookingRefused{Outcome::kStoreUnavailable, "Bookings are briefly unavailable; retry shortly.", {}};
}

}  // namespace

BookingRefused waitlistNotFound() {
    return BookingRefused{Outcome::kNotFound, "No waitlist place matches this id and phone number.", {}};
}

BookingRefused lookupNotFound() {
    return BookingRefused{
        Outcome::kNotFound, std::string(domain::spellingOf(Outcome::kNotFound).message), {}};
}

boost::asio::awaitable<LookupOutcome> BookingService::find(std::string_view personId,
                                                           std::string_view phoneNumber) {
    auto checked = checkCredentials(personId, phoneNumber);
    if (auto* refused = std::get_if<BookingRefused>(&checked)) co_return std::move(*refused);
    const auto& credentials = std::get<Credentials>(checked);
    co_return toOutcome(co_await store_.find(credentials.personId, credentials.phoneNumber));
}

boost::asio::awaitable<LookupOutcome> BookingService::cancel(std::string_view personId,
                                                             std::string_view phoneNumber) {
    auto checked = checkCredentials(personId, phoneNumber);
    if (auto* refused = std::get_if<BookingRefused>(&checked)) co_return std::move(*refused);
    const auto& credentials = std::get<Credentials>(checked);
    FindResult cancelled =
        co_await store_.cancel(credentials.personId, credentials.phoneNumber, formatRfc3339(clock_.now()));
    if (cancelled.outcome == Outcome::kCancelled) observer_.decided(Outcome::kCancelled);
    co_return toOutcome(std::move(cancelled));
}

boost::asio::awaitable<WaitlistOutcome> BookingService::findWaitlistPlace(std::string_view personId,
                                                                          std::string_view phoneNumber) {
    auto checked = checkCredentials(personId, phoneNumber);
    if (auto* refused = std::get_if<BookingRefused>(&checked)) co_return std::move(*refused);
    const auto& credentials = std::get<Credentials>(checked);
    co_return toWaitlistOutcome(
        co_await store_.findWaitlistPlace(credentials.personId, credentials.phoneNumber));
}

boost::asio::awaitable<WaitlistOutcome> BookingService::leaveWaitlist(std::string_view personId,
                                                                      std::string_view phoneNumber) {
    auto checked = checkCredentials(personId, phoneNumber);
    if (auto* refused = std::get_if<BookingRefused>(&checked)) co_return std::move(*refused);
    const auto& credentials = std::get<Credentials>(checked);
    co_return toWaitlistOutcome(co_await store_.leaveWaitlist(credentials.personId, credentials.phoneNumber));
}

}  // namespace jkjav::app
