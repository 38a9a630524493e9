#include "adapters/kafka/group_watch.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace jkjav::kafka {

std::optional<std::string> groupStateOf(std::string_view statistics) {
    boost::system::error_code error;
    const boost::json::value report = boost::json::parse(statistics, error);
    if (error || !report.is_object()) return std::nullopt;
    const auto* group = report.get_object().if_contains("cgrp");
    if (group == nullptr || !group->is_object()) return std::nullopt;
    const auto* state = group->get_object().if_contains("state");
    if (state == nullptr || !state->is_string()) return std::nullopt;
    return std::string(state->get_string());
}

void GroupWatch::observed(std::string_view state, TimePoint now) {
    if (state == "up") {
        outOfReachSince_.reset();
        return;
    }
    if (!outOfReachSince_) outOfReachSince_ = now;
    lastOutOfReach_ = now;
}

bool GroupWatch::startOver() {
    if (after_ <= std::chrono::milliseconds::zero() || !outOfReachSince_) return false;
    if (lastOutOfReach_ - *outOfReachSince_ < after_) return false;
    outOfReachSince_ = lastOutOfReach_;
    return true;
}

}  // namespace jkjav::kafka
