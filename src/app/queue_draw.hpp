// The pre-queue's draw as published to the workers: who drew which place at opensAt. It never
// changes after opensAt (ranks 0..preQueued-1 are fixed once admission began), so the ticker reads
// it from the store once and every worker answers pre-queue tickets from it without a round trip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jkjav::app {

class QueueDraw {
  public:
    // At most this many places are published (with 32-character members about 40 bytes each: some
    // 40 MB per server, 8 MB for the 200,000 of the bench); the draw's later places, if any, are
    // answered by the store once each, as before.
    static constexpr std::size_t kMaxPlaces = 1'000'000;

    // `membersByRank[i]` drew place i. Memory: the members' bytes in one block, two 4-byte indexes a
    // place; no allocation per member.
    explicit QueueDraw(const std::vector<std::string>& membersByRank);

    // The place `member` drew; nullopt when not among the published ones.
    [[nodiscard]] std::optional<std::int64_t> rankOf(std::string_view member) const;
    [[nodiscard]] std::size_t size() const { return sorted_.size(); }

  private:
    [[nodiscard]] std::string_view memberAt(std::uint32_t rank) const;

    std::string bytes_;                  // every member, in rank order
    std::vector<std::uint32_t> starts_;  // rank -> offset in bytes_; one more at the end
    std::vector<std::uint32_t> sorted_;  // ranks ordered by their member, for binary search
};

}  // namespace jkjav::app
