// GET /metrics' body: every collector's families in the Prometheus text format (prometheus-cpp's
// TextSerializer). The collectors are fixed at start; render() may run on any worker thread.
#pragma once

#include <prometheus/collectable.h>

#include <memory>
#include <string>
#include <vector>

namespace jkjav::metrics {

inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";

class MetricsExposition {
  public:
    // At start only, before any thread may render(): the composition root adds the collectors of
    // parts built after the handlers that serve /metrics.
    void add(std::shared_ptr<const prometheus::Collectable> collector) {
        collectors_.push_back(std::move(collector));
    }

    [[nodiscard]] std::string render() const;

  private:
    std::vector<std::shared_ptr<const prometheus::Collectable>> collectors_;
};

}  // namespace jkjav::metrics
