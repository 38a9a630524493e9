#include "adapters/metrics/metrics_exposition.hpp"

#include <prometheus/text_serializer.h>

#include <iterator>

namespace jkjav::metrics {

std::string MetricsExposition::render() const {
    std::vector<prometheus::MetricFamily> families;
    for (const auto& collector : collectors_) {
        auto collected = collector->Collect();
        std::move(collected.begin(), collected.end(), std::back_inserter(families));
    }
    return prometheus::TextSerializer().Serialize(families);
}

}  // namespace jkjav::metrics
