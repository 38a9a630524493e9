#include "app/queue_draw.hpp"

#include <algorithm>
#include <numeric>

namespace jkjav::app {

QueueDraw::QueueDraw(const std::vector<std::string>& membersByRank) {
    const std::size_t count = std::min(membersByRank.size(), kMaxPlaces);
    std::size_t total = 0;
    for (std::size_t i = 0; i < count; ++i) total += membersByRank[i].size();
    bytes_.reserve(total);
    starts_.reserve(count + 1);
    for (std::size_t i = 0; i < count; ++i) {
        starts_.push_back(static_cast<std::uint32_t>(bytes_.size()));
        bytes_.append(membersByRank[i]);
    }
    starts_.push_back(static_cast<std::uint32_t>(bytes_.size()));
    sorted_.resize(count);
    std::iota(sorted_.begin(), sorted_.end(), 0U);
    std::sort(sorted_.begin(), sorted_.end(),
              [this](std::uint32_t a, std::uint32_t b) { return memberAt(a) < memberAt(b); });
}

std::string_view QueueDraw::memberAt(std::uint32_t rank) const {
    return std::string_view(bytes_).substr(starts_[rank], starts_[rank + 1] - starts_[rank]);
}

std::optional<std::int64_t> QueueDraw::rankOf(std::string_view member) const {
    const auto found = std::lower_bound(
        sorted_.begin(), sorted_.end(), member,
        [this](std::uint32_t rank, std::string_view wanted) { return memberAt(rank) < wanted; });
    if (found == sorted_.end() || memberAt(*found) != member) return std::nullopt;
    return static_cast<std::int64_t>(*found);
}

}  // namespace jkjav::app
