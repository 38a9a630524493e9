// Concurrency over real HTTP: never oversold, never two bookings for one person.
#include <atomic>
#include <thread>

#include "server_suite.hpp"

namespace jkjav::testing {
namespace {

class Race : public ServerSuite {};

// The i-th of MANY's hundred dates, from 20210101.
std::string dateOfMany(int i) {
    static const int kDays[] = {31, 28, 31, 30};
    int month = 0;
    while (i >= kDays[month]) i -= kDays[month++];
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "2021%02d%02d", month + 1, i + 1);
    return buffer;
}

struct Tally {
    std::mutex mutex;
    std::map<int, int> statuses;
    std::map<std::string, int> codes;
    std::set<std::string> references;

    void add(const HttpReply& reply) {
        std::lock_guard lock(mutex);
        ++statuses[reply.status];
        const auto json = reply.json();
        if (reply.status == 200) references.insert(std::string(json.at("reference").as_string()));
        if (json.is_object() && json.as_object().contains("code"))
            ++codes[std::string(json.at("code").as_string())];
    }
};

// `requests` POSTs spread over `clients` threads, each with its own keep-alive connection.
void storm(int port, int clients, int requests, const std::function<std::string(int)>& bodyFor,
           Tally& tally) {
    std::atomic<int> next{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
        threads.emplace_back([&] {
            HttpClient client(port);
            for (int i = next++; i < requests; i = next++) tally.add(client.postJson("/booking", bodyFor(i)));
        });
    }
    for (auto& thread : threads) thread.join();
}

TEST_F(Race, AThousandPeopleForAHundredSlotsBookExactlyAHundred) {
    Tally tally;
    storm(
        port(), 100, 1000, [](int i) { return bookingBody(myKadFor(100'000 + i), "RACE", "20210601"); },
        tally);

    EXPECT_EQ(tally.statuses[200], 100);
    EXPECT_EQ(tally.statuses[409], 900);
    EXPECT_EQ(tally.codes["FULL"], 900);
    EXPECT_EQ(tally.references.size(), 100u);
    EXPECT_EQ(remaining("RACE:20210601"), 0);
    int stored = 0;
    for (int i = 0; i < 1000; ++i)
        stored += redis().command({"EXISTS", "jkjav:booking:" + myKadFor(100'000 + i)}) == "1";
    EXPECT_EQ(stored, 100);
}

TEST_F(Race, OnePersonAskingForAHundredDatesAtOnceGetsOne) {
    Tally tally;
    const std::string person = myKadFor(200'000);
    storm(
        port(), 100, 100,
        [&](int i) {
            const auto date = dateOfMany(i);
            return bookingBody(person, "MANY", date);
        },
        tally);

    EXPECT_EQ(tally.statuses[200], 1);
    EXPECT_EQ(tally.codes["ALREADY_BOOKED"], 99);
    long long taken = 0;
    for (int i = 0; i < 100; ++i) taken += 10 - remaining("MANY:" + dateOfMany(i));
    EXPECT_EQ(taken, 1);
}

}  // namespace
}  // namespace jkjav::testing
