// Availability as ready-to-send response bodies, one per location plus the /locations document.
// Built off the hot path every refresh; handlers only look bodies up.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "app/availability_service.hpp"
#include "domain/campaign.hpp"

namespace jkjav::http {

struct PreparedBody {
    std::string body;
    std::string etag;  // strong, quoted: a hash of body
    // The response heads, rendered once per snapshot up to (not including) the Date header, so
    // answering costs a lookup and one gather-write.
    std::string head200;
    std::string head304;
};

class AvailabilitySnapshot {
  public:
    static std::shared_ptr<const AvailabilitySnapshot> build(const app::AvailabilityView& view,
                                                             const domain::Campaign& campaign,
                                                             std::chrono::steady_clock::time_point takenAt);

    [[nodiscard]] const PreparedBody* station(std::string_view locationCode) const;
    [[nodiscard]] const PreparedBody& locations() const { return locations_; }
    [[nodiscard]] std::chrono::steady_clock::time_point takenAt() const { return takenAt_; }

  private:
    struct StringHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    std::unordered_map<std::string, PreparedBody, StringHash, std::equal_to<>> stations_;
    PreparedBody locations_;
    std::chrono::steady_clock::time_point takenAt_;
};

// Each worker thread holds its own pointer to the current snapshot; the publisher posts new ones
// to every thread, so readers never share a lock or an atomic with each other.
class SnapshotSlot {
  public:
    [[nodiscard]] const std::shared_ptr<const AvailabilitySnapshot>& shared() const { return current_; }
    void replace(std::shared_ptr<const AvailabilitySnapshot> next) { current_ = std::move(next); }

  private:
    std::shared_ptr<const AvailabilitySnapshot> current_;
};

}  // namespace jkjav::http
