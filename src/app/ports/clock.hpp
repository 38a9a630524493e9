// Ports of time, injected so use cases are testable at a fixed instant.

// Port: wall-clock time.
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

// Port: elapsed time for deadlines and "for how long", immune to wall-clock steps.
class MonotonicClock {
  public:
    virtual ~MonotonicClock() = default;
    [[nodiscard]] virtual std::chrono::steady_clock::time_point now() const = 0;
};

class SteadyClock final : public MonotonicClock {
  public:
    [[nodiscard]] std::chrono::steady_clock::time_point now() const override {
        return std::chrono::steady_clock::now();
    }
};

}  // namespace jkjav::app
