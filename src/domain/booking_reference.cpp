#include "domain/booking_reference.hpp"

#include <algorithm>

namespace jkjav::domain {

std::string referenceEpoch(std::chrono::system_clock::time_point seededAt) {
    constexpr std::string_view kDigits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    auto seconds = std::max<long long>(
        0, std::chrono::duration_cast<std::chrono::seconds>(seededAt.time_since_epoch()).count());
    std::string epoch;
    do {
        epoch.push_back(kDigits[static_cast<std::size_t>(seconds % 36)]);
        seconds /= 36;
    } while (seconds > 0);
    while (epoch.size() < 6) epoch.push_back('0');
    std::reverse(epoch.begin(), epoch.end());
    return epoch;
}

}  // namespace jkjav::domain
