#include "adapters/http/queue_answer_json.hpp"

#include <algorithm>
#include <charconv>

#include "domain/queue_ticket.hpp"

namespace jkjav::http {

QueueAnswerJson::QueueAnswerJson(const app::QueueAnswer& answer) {
    append(R"({"ticket":")");
    append(answer.ticket);
    append(R"(","state":")");
    append(domain::queueStateName(answer.state));
    append(R"(","ahead":)");
    append(answer.ahead);
    append(R"(,"estimatedWaitSeconds":)");
    append(answer.estimatedWaitSeconds);
    if (!answer.reason.empty()) {
        append(R"(,"reason":")");
        append(answer.reason);
        append("\"");
        if (answer.waitlist) append(R"(,"waitlist":true)");
    }
    append("}");
}

void QueueAnswerJson::append(std::string_view text) {
    // Never past the end; a ticket that long was refused before (see kCapacity).
    const std::size_t fits = std::min(text.size(), kCapacity - size_);
    std::copy_n(text.data(), fits, buffer_.data() + size_);
    size_ += fits;
}

void QueueAnswerJson::append(std::int64_t number) {
    const auto written = std::to_chars(buffer_.data() + size_, buffer_.data() + kCapacity, number);
    if (written.ec == std::errc()) size_ = static_cast<std::size_t>(written.ptr - buffer_.data());
}

}  // namespace jkjav::http
