#include "booking_store_failpoint.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace jkjav::cmd {

#ifdef JKJAV_TEST_SEAMS
namespace {

class ThrowingBookingStore final : public app::BookingStore {
  public:
    explicit ThrowingBookingStore(app::BookingStore& inner) : inner_(inner) {}

    boost::asio::awaitable<app::StoreResult> book(const domain::Booking& draft, std::string_view slotKey,
                                                  bool joinWaitlist, app::QueuePass queue) override {
        if (draft.location == "FAILPOINT") {
            throw std::runtime_error("failpoint booking-store-throws: cannot store " + draft.mysejahteraId +
                                     " with phone " + draft.phoneNumber);
        }
        co_return co_await inner_.book(draft, slotKey, joinWaitlist, queue);
    }
    boost::asio::awaitable<app::FindResult> find(std::string_view personId,
                                                 std::string_view phoneNumber) override {
        return inner_.find(personId, phoneNumber);
    }
    boost::asio::awaitable<app::FindResult> cancel(std::string_view personId, std::string_view phoneNumber,
                                                   std::string_view cancelledAt) override {
        return inner_.cancel(personId, phoneNumber, cancelledAt);
    }
    boost::asio::awaitable<app::WaitlistResult> findWaitlistPlace(std::string_view personId,
                                                                  std::string_view phoneNumber) override {
        return inner_.findWaitlistPlace(personId, phoneNumber);
    }
    boost::asio::awaitable<app::WaitlistResult> leaveWaitlist(std::string_view personId,
                                                              std::string_view phoneNumber) override {
        return inner_.leaveWaitlist(personId, phoneNumber);
    }

  private:
    app::BookingStore& inner_;
};

}  // namespace

std::unique_ptr<app::BookingStore> bookingStoreFailpoint(app::BookingStore& real) {
    const char* name = std::getenv("JKJAV_FAILPOINT");
    if (name == nullptr || name != kBookingStoreThrows) return nullptr;
    return std::make_unique<ThrowingBookingStore>(real);
}
#else
std::unique_ptr<app::BookingStore> bookingStoreFailpoint(app::BookingStore&) { return nullptr; }
#endif

}  // namespace jkjav::cmd
