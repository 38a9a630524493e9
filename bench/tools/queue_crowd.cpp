// jkjav-queue-crowd: a crowd in front of jkjav's waiting room. Each person joins (POST /queue) at an
// arrival time, polls GET /queue/{ticket} exactly when the last Retry-After says (never earlier),
// and once admitted books a slot with seats (POST /booking with X-Queue-Ticket; on 409 FULL another).
// People are plain data in a timetable (a heap of due times); a bounded pool of keep-alive
// connections, one worker coroutine each, carries out whatever step is due. Single-threaded, so
// nothing is shared across threads. Every loop ends by the --deadline.
#include <CLI/CLI.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <memory>
#include <queue>
#include <random>
#include <thread>

#include "crowd_connection.hpp"
#include "crowd_people.hpp"
#include "crowd_report.hpp"

namespace jkjav::bench {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using Request = http::request<http::string_body>;

// An answer's JSON object; nullopt when the body is not one (counted as a failed request).
std::optional<json::object> objectOf(const std::string& body) {
    boost::system::error_code error;
    json::value value = json::parse(body, error);
    if (error || !value.is_object() || !value.as_object().contains("ticket") ||
        !value.as_object().at("state").is_string()) {
        return std::nullopt;
    }
    return std::move(value.as_object());
}

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct Options {
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    std::uint32_t people = 200'000;
    std::int64_t slots = 20'000;
    std::int64_t opensAtMs = 0;
    double preShare = 0.9;
    double afterSeconds = 5;
    unsigned connections = 256;
    double deadlineSeconds = 300;
    unsigned timeoutMs = 10'000;
};

struct Slot {
    std::string location;
    std::string date;
};

struct Due {
    std::int64_t atMs;
    std::uint32_t person;
    bool operator>(const Due& other) const { return atMs > other.atMs; }
};

// A step fails this often (no answer, 5xx, 429) before the person gives up.
constexpr std::uint16_t kMaxFailures = 20;

class Crowd {
  public:
    Crowd(asio::io_context& io, Options options, std::vector<Slot> slots)
        : io_(io),
          options_(std::move(options)),
          slots_(std::move(slots)),
          slotFull_(slots_.size(), false),
          crowd_(crowdOf(options_.people, options_.preShare, nowMs(), options_.opensAtMs,
                         static_cast<std::int64_t>(options_.afterSeconds * 1000))),
          server_(asio::ip::make_address(options_.host), options_.port),
          deadlineMs_(nowMs() + static_cast<std::int64_t>(options_.deadlineSeconds * 1000)) {
        figures_.opensAtMs = options_.opensAtMs;
        figures_.slots = options_.slots;
        for (std::uint32_t i = 0; i < crowd_.size(); ++i) schedule(crowd_[i].joinAtMs, i);
        pending_ = crowd_.size();
    }

    void start() {
        asio::co_spawn(io_, dispatch(), asio::detached);
        for (unsigned i = 0; i < options_.connections; ++i) {
            workers_.push_back(std::make_unique<Worker>(io_.get_executor(), server_,
                                                        std::chrono::milliseconds(options_.timeoutMs)));
            asio::co_spawn(io_, work(*workers_.back()), asio::detached);
        }
    }

    std::vector<Person>& crowd() { return crowd_; }
    CrowdFigures& figures() { return figures_; }

  private:
    struct Worker {
        Worker(asio::any_io_executor executor, asio::ip::tcp::endpoint server,
               std::chrono::milliseconds timeout)
            : connection(executor, server, timeout), idle(executor) {}
        CrowdConnection connection;
        asio::steady_timer idle;
    };

    [[nodiscard]] bool over() const { return pending_ == 0 || nowMs() >= deadlineMs_; }

    void schedule(std::int64_t atMs, std::uint32_t person) { timetable_.push({atMs, person}); }

    // Moves what fell due to the ready line and wakes idle workers; wakes at least every 2 ms so
    // that a step scheduled meanwhile is not late by more than that.
    asio::awaitable<void> dispatch() {
        asio::steady_timer timer(io_);
        while (!over()) {
            const std::int64_t now = nowMs();
            while (!timetable_.empty() && timetable_.top().atMs <= now) {
                ready_.push_back(timetable_.top().person);
                timetable_.pop();
            }
            // One idle worker for each step ready (the others stay asleep).
            for (std::size_t wake = std::min(ready_.size(), idle_.size()); wake > 0; --wake) {
                idle_.back()->idle.cancel();
                idle_.pop_back();
            }
            std::int64_t waitMs = 2;
            if (!timetable_.empty()) waitMs = std::clamp<std::int64_t>(timetable_.top().atMs - now, 0, 2);
            timer.expires_after(std::chrono::milliseconds(waitMs));
            co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        }
        for (Worker* worker : idle_) worker->idle.cancel();
        idle_.clear();
    }

    asio::awaitable<void> work(Worker& worker) {
        while (!over()) {
            if (ready_.empty()) {
                idle_.push_back(&worker);
                worker.idle.expires_after(std::chrono::milliseconds(100));
                co_await worker.idle.async_wait(asio::as_tuple(asio::use_awaitable));
                std::erase(idle_, &worker);
                continue;
            }
            const std::uint32_t person = ready_.front();
            ready_.pop_front();
            co_await step(worker.connection, person);
        }
    }

    void finish(std::uint32_t index, Fate fate) {
        Person& person = crowd_[index];
        person.fate = fate;
        person.endedAtMs = nowMs();
        --pending_;
    }

    // A failed request: try again in a second, or give up after kMaxFailures.
    void retryLater(std::uint32_t index, long retryAfterSeconds) {
        Person& person = crowd_[index];
        ++figures_.failedRequests;
        if (++person.failures >= kMaxFailures) return finish(index, Fate::kGaveUp);
        const std::int64_t due = nowMs() + 1000 * std::max<long>(1, retryAfterSeconds);
        nextPollMs_[index] = due;
        schedule(due, index);
    }

    Request request(http::verb verb, std::string target, std::string body = {}) const {
        Request out{verb, target, 11};
        out.set(http::field::host, options_.host);
        if (!body.empty()) {
            out.set(http::field::content_type, "application/json");
            out.body() = std::move(body);
            out.prepare_payload();
        }
        out.keep_alive(true);
        return out;
    }

    asio::awaitable<Answer> timed(CrowdConnection& connection, const Request& request, LatencyLog* log) {
        const auto sent = std::chrono::steady_clock::now();
        Answer answer = co_await connection.exchange(request);
        if (log != nullptr && answer.status != 0) {
            log->add(
                std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - sent)
                    .count());
        }
        co_return answer;
    }

    asio::awaitable<void> step(CrowdConnection& connection, std::uint32_t index) {
        Person& person = crowd_[index];
        if (person.ticket.empty()) {
            co_await join(connection, index);
        } else {
            co_await poll(connection, index);
        }
    }

    asio::awaitable<void> join(CrowdConnection& connection, std::uint32_t index) {
        Person& person = crowd_[index];
        ++person.joins;
        const Answer answer = co_await timed(
            connection, request(http::verb::post, "/queue", R"({"mysejahteraId":")" + myKadOf(index) + "\"}"),
            nullptr);
        auto parsed = answer.status == 200 ? objectOf(answer.body) : std::nullopt;
        if (parsed) {
            person.ticket = json::value_to<std::string>(parsed->at("ticket"));
            person.joinedAtMs = nowMs();
            person.estimateAtJoin = parsed->at("estimatedWaitSeconds").to_number<std::int64_t>();
            person.joinedState = stateCode(parsed->at("state").as_string());
            co_await follow(connection, index, *parsed, answer.retryAfterSeconds);
        } else if (answer.status == 409 && answer.body.find("QUEUE_NOT_OPEN") != std::string::npos) {
            schedule(nowMs() + 1000 * std::max<long>(1, answer.retryAfterSeconds), index);
        } else if (answer.status == 0 || answer.status == 200 || answer.status >= 500 ||
                   answer.status == 429) {
            retryLater(index, answer.retryAfterSeconds);
        } else {
            finish(index, Fate::kRefused);
        }
    }

    asio::awaitable<void> poll(CrowdConnection& connection, std::uint32_t index) {
        Person& person = crowd_[index];
        ++person.polls;
        // Polls are due at the moment Retry-After named; lateness is how much later they were sent.
        const std::int64_t lateness = nowMs() - pollDueMs(index);
        if (lateness < 0) ++figures_.earlyPolls;
        figures_.pollLateness.add(std::max<std::int64_t>(lateness, 0) * 1000);
        if (pollDueMs(index) > options_.opensAtMs + 1000) {
            figures_.pollLatenessAfterOpening.add(std::max<std::int64_t>(lateness, 0) * 1000);
        }
        const Answer answer =
            co_await timed(connection, request(http::verb::get, "/queue/" + person.ticket), &figures_.polls);
        auto parsed = answer.status == 200 ? objectOf(answer.body) : std::nullopt;
        if (parsed) {
            person.ticket = json::value_to<std::string>(parsed->at("ticket"));
            co_await follow(connection, index, *parsed, answer.retryAfterSeconds);
        } else if (answer.status == 0 || answer.status == 200 || answer.status >= 500 ||
                   answer.status == 429) {
            retryLater(index, answer.retryAfterSeconds);
        } else {
            finish(index, Fate::kRefused);
        }
    }

    static std::uint8_t stateCode(std::string_view state) {
        if (state == "prequeue") return 0;
        if (state == "waiting") return 1;
        if (state == "admitted") return 2;
        return 3;
    }

    std::int64_t pollDueMs(std::uint32_t index) const { return nextPollMs_.at(index); }

    void pollAfter(std::uint32_t index, long retryAfterSeconds) {
        const std::int64_t due = nowMs() + 1000 * std::max<long>(1, retryAfterSeconds);
        nextPollMs_[index] = due;
        schedule(due, index);
    }

    // What an answer of the queue asks for: wait and poll, book, or stop.
    asio::awaitable<void> follow(CrowdConnection& connection, std::uint32_t index, const json::object& answer,
                                 long retryAfterSeconds) {
        Person& person = crowd_[index];
        const std::string_view state = answer.at("state").as_string();
        if (state == "closed") {
            const auto* reason = answer.if_contains("reason");
            const bool soldOut =
                reason != nullptr && reason->is_string() && reason->as_string() == "SOLD_OUT";
            finish(index, soldOut ? Fate::kClosedSoldOut : Fate::kAdmissionEnded);
        } else if (state == "admitted") {
            if (person.admittedSeenAtMs < 0) person.admittedSeenAtMs = nowMs();
            co_await book(connection, index, retryAfterSeconds);
        } else {
            if (state == "waiting") {
                figures_.longestWaitingRetryAfter =
                    std::max<std::int64_t>(figures_.longestWaitingRetryAfter, retryAfterSeconds);
                if (retryAfterSeconds >= 60) ++figures_.waitingRetryAfterAtLeast60;
            }
            pollAfter(index, retryAfterSeconds);
        }
    }

    // Picks a slot not known to be full (at random, as people spread over a page's choices); -1 none.
    int chooseSlot() {
        std::vector<int> open;
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            if (!slotFull_[i]) open.push_back(static_cast<int>(i));
        }
        if (open.empty()) return -1;
        return open[std::uniform_int_distribution<std::size_t>(0, open.size() - 1)(random_)];
    }

    asio::awaitable<void> book(CrowdConnection& connection, std::uint32_t index, long retryAfterSeconds) {
        Person& person = crowd_[index];
        // At most one try per slot: every 409 FULL crosses one off.
        for (std::size_t tries = 0; tries <= slots_.size(); ++tries) {
            const int chosen = chooseSlot();
            if (chosen < 0) break;  // none left that we know of: the queue will say closed
            const Slot& slot = slots_[static_cast<std::size_t>(chosen)];
            Request booking =
                request(http::verb::post, "/booking",
                        R"({"mysejahteraId":")" + myKadOf(index) +
                            R"(","firstName":"Queue","lastName":"Crowd","address":"Kuala Lumpur",)"
                            R"("location":")" +
                            slot.location +
                            R"(","phoneNumber":"0123456789",)"
                            R"("date":")" +
                            slot.date + "\"}");
            booking.set("X-Queue-Ticket", person.ticket);
            ++person.bookings;
            const Answer answer = co_await timed(connection, booking, &figures_.bookings);
            const bool repeat =
                answer.status == 409 && answer.body.find("ALREADY_BOOKED") != std::string::npos;
            if (answer.status == 200 || repeat) {
                finish(index, Fate::kBooked);
                if (++booked_ == figures_.slots) figures_.soldOutAtMs = nowMs();
                co_return;
            }
            if (answer.status == 409 && answer.body.find("FULL") != std::string::npos) {
                slotFull_[static_cast<std::size_t>(chosen)] = true;
                continue;
            }
            if (answer.status == 0 || answer.status >= 500 || answer.status == 429) {
                ++figures_.failedRequests;
                if (++person.failures >= kMaxFailures) co_return finish(index, Fate::kGaveUp);
                continue;
            }
            if (answer.status == 403) break;  // QUEUE_REQUIRED: the admission lapsed; ask the queue
            co_return finish(index, Fate::kRefused);
        }
        pollAfter(index, retryAfterSeconds);
    }

    asio::io_context& io_;
    Options options_;
    std::vector<Slot> slots_;
    std::vector<bool> slotFull_;
    std::vector<Person> crowd_;
    std::vector<std::int64_t> nextPollMs_ = std::vector<std::int64_t>(crowd_.size(), 0);
    asio::ip::tcp::endpoint server_;
    std::int64_t deadlineMs_;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> timetable_;
    std::deque<std::uint32_t> ready_;
    std::vector<Worker*> idle_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::size_t pending_ = 0;
    std::int64_t booked_ = 0;
    std::mt19937_64 random_{20210526};
    CrowdFigures figures_;
};

// GET /locations: every (location, date) with seats, and the seats left in all.
asio::awaitable<void> readLocations(CrowdConnection& connection, const Options& options,
                                    std::vector<Slot>* slots, std::int64_t* remaining) {
    Request request{http::verb::get, "/locations", 11};
    request.set(http::field::host, options.host);
    const Answer answer = co_await connection.exchange(request);
    if (answer.status != 200) co_return;
    boost::system::error_code error;
    const json::value parsed = json::parse(answer.body, error);
    if (error || !parsed.is_object() || !parsed.as_object().contains("locations")) co_return;
    *remaining = 0;
    for (const auto& location : parsed.at("locations").as_array()) {
        for (const auto& date : location.at("dates").as_array()) {
            const auto seats = date.at("availability").to_number<std::int64_t>();
            *remaining += seats;
            if (seats > 0 && slots != nullptr) {
                slots->push_back({json::value_to<std::string>(location.at("code")),
                                  json::value_to<std::string>(date.at("date"))});
            }
        }
    }
}

int run(const Options& options) {
    asio::io_context io;
    const asio::ip::tcp::endpoint server(asio::ip::make_address(options.host), options.port);
    CrowdConnection probe(io.get_executor(), server, std::chrono::milliseconds(options.timeoutMs));
    std::vector<Slot> slots;
    std::int64_t remaining = -1;
    asio::co_spawn(io, readLocations(probe, options, &slots, &remaining), asio::detached);
    io.run();
    if (slots.empty()) {
        std::fprintf(stderr, "jkjav-queue-crowd: GET /locations gave no slot with seats\n");
        return 2;
    }

    const auto started = std::chrono::steady_clock::now();
    Crowd crowd(io, options, std::move(slots));
    crowd.start();
    io.restart();
    io.run();
    crowd.figures().elapsedSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    // The availability snapshot lags the bookings by up to SNAPSHOT_MS: read it again until it
    // settles (bounded), so that "slots left" is what the store holds.
    std::int64_t previous = -2;
    for (int i = 0; i < 20; ++i) {
        remaining = -1;
        io.restart();
        asio::co_spawn(io, readLocations(probe, options, nullptr, &remaining), asio::detached);
        io.run();
        if (remaining == previous) break;
        previous = remaining;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    crowd.figures().slotsLeftAtEnd = remaining;
    report(crowd.crowd(), crowd.figures());
    return 0;
}

}  // namespace
}  // namespace jkjav::bench

int main(int argc, char** argv) {
    jkjav::bench::Options options;
    CLI::App app{"jkjav-queue-crowd: a crowd in front of jkjav's waiting room"};
    app.add_option("--host", options.host, "server address (loopback)");
    app.add_option("--port", options.port, "server port")->required();
    app.add_option("--people", options.people, "people in the crowd");
    app.add_option("--slots", options.slots,
                   "slots the campaign has (the sell-out is the booking that takes the last)");
    app.add_option("--opens-at-ms", options.opensAtMs, "the queue's opensAt, Unix ms")->required();
    app.add_option("--prequeue-share", options.preShare, "share of people joining before opensAt (from now)");
    app.add_option("--after-seconds", options.afterSeconds, "the rest join over this long after opensAt");
    app.add_option("--connections", options.connections, "keep-alive connections (one worker each)");
    app.add_option("--deadline", options.deadlineSeconds, "stop after this many seconds, finished or not");
    app.add_option("--timeout-ms", options.timeoutMs, "one request's bound");
    CLI11_PARSE(app, argc, argv);
    return jkjav::bench::run(options);
}
