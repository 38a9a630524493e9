// Port: wall-clock time, injected so use cases are testable at a fixed instant.
#pragma once

#include <chrono>

namespace jkjav::app {

class Clock {
  public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
  public:
    [[nodiscard]] std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now();
    }
};

}  // namespace jkjav::app
