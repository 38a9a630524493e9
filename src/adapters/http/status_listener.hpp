// A small HTTP listener for a worker program's own port (jkjav-recorder): GET /metrics and GET
// /healthz, answered on a thread of its own, one request per connection, every wait bounded.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "adapters/supervision/supervised_loop.hpp"

namespace jkjav::http {

struct StatusPages {
    std::function<std::string()> metrics;  // the Prometheus text
    std::function<std::string()> health;   // /healthz's JSON body (always 200: the process answers)
};

class StatusListener {
  public:
    // Bound and listening, or why not (port 0: any free one, see port()). The acceptor is restarted
    // after a throw as `supervision` says.
    static std::variant<std::unique_ptr<StatusListener>, std::string> start(
        const std::string& address, std::uint16_t port, StatusPages pages,
        const supervision::Supervision& supervision = {});
    ~StatusListener();  // stops the thread
    StatusListener(const StatusListener&) = delete;
    StatusListener& operator=(const StatusListener&) = delete;
    [[nodiscard]] std::uint16_t port() const { return port_; }

    struct State;  // the io_context, its thread and the acceptor (status_listener.cpp)

  private:
    explicit StatusListener(std::unique_ptr<State> state, std::uint16_t port);
    std::unique_ptr<State> state_;
    std::uint16_t port_;
};

}  // namespace jkjav::http
