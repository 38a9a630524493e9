// The snapshot renderer and its fast path: bodies, ETags, the prepared heads, conditional GETs.
#include "adapters/http/availability_snapshot.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <ostream>

#include "adapters/http/api_handler.hpp"
#include "mocks.hpp"

namespace jkjav::http {
namespace {

using boost::beast::http::field;
using boost::beast::http::verb;

app::AvailabilityView viewOf(const domain::Campaign& campaign, std::int64_t pwtc17, std::int64_t pwtc16,
                             std::int64_t um) {
    app::AvailabilityView view;
    const auto& locations = campaign.locations();
    view.locations.push_back(
        {&locations[0], {{{2021, 5, 17}, pwtc17}, {{2021, 5, 16}, pwtc16}}, pwtc17 + pwtc16});
    view.locations.push_back({&locations[1], {{{2021, 6, 7}, um}}, um});
    return view;
}

class SnapshotRenderer : public ::testing::Test {
  protected:
    domain::Campaign campaign_ = testing::pwtcCampaign();
    std::shared_ptr<const AvailabilitySnapshot> snapshot_ = AvailabilitySnapshot::build(
        viewOf(campaign_, 7, 0, 2500), campaign_, std::chrono::steady_clock::now());
};

TEST_F(SnapshotRenderer, StationBodyListsItsDatesInCampaignOrder) {
    const PreparedBody* pwtc = snapshot_->station("PWTC");
    ASSERT_NE(pwtc, nullptr);
    EXPECT_EQ(pwtc->body, R"([{"location":"PWTC","date":"20210517","availability":7},)"
                          R"({"location":"PWTC","date":"20210516","availability":0}])");
    EXPECT_EQ(snapshot_->station("pwtc"), nullptr);  // codes are exact
    EXPECT_EQ(snapshot_->station("NOWHERE"), nullptr);
}

TEST_F(SnapshotRenderer, LocationsDocumentNamesTheCampaignStatesAndTotals) {
    EXPECT_EQ(snapshot_->locations().body,
              R"({"campaign":"test","states":[{"key":"kl","name":"KL"}],"locations":[)"
              R"({"code":"PWTC","name":"PWTC","state":"kl","availability":7,"dates":[)"
              R"({"date":"20210517","availability":7},{"date":"20210516","availability":0}]},)"
              R"({"code":"UM","name":"UM","state":"kl","availability":2500,"dates":[)"
              R"({"date":"20210607","availability":2500}]}]})");
}

TEST_F(SnapshotRenderer, ETagIsAStrongHashOfTheBodyStableAcrossBuilds) {
    const std::string& etag = snapshot_->station("PWTC")->etag;
    ASSERT_EQ(etag.size(), 18u);
    EXPECT_EQ(etag.front(), '"');
    EXPECT_EQ(etag.back(), '"');
    EXPECT_EQ(etag.find_first_not_of("0123456789abcdef", 1), 17u);
    const auto same = AvailabilitySnapshot::build(viewOf(campaign_, 7, 0, 2500), campaign_,
                                                  std::chrono::steady_clock::now());
    EXPECT_EQ(same->station("PWTC")->etag, etag);
    EXPECT_EQ(same->locations().etag, snapshot_->locations().etag);
    const auto changed = AvailabilitySnapshot::build(viewOf(campaign_, 6, 0, 2500), campaign_,
                                                     std::chrono::steady_clock::now());
    EXPECT_NE(changed->station("PWTC")->etag, etag);
    EXPECT_EQ(changed->station("UM")->etag, snapshot_->station("UM")->etag);  // UM did not change
    EXPECT_NE(changed->locations().etag, snapshot_->locations().etag);
}

TEST_F(SnapshotRenderer, HeadsAreTheExactBytesUpToTheDateLine) {
    const PreparedBody& pwtc = *snapshot_->station("PWTC");
    const std::string common =
        "Server: jkjav\r\nX-Content-Type-Options: nosniff\r\n"
        "Cache-Control: public, max-age=1\r\nETag: " +
        pwtc.etag + "\r\n";
    EXPECT_EQ(pwtc.head200, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + common +
                                "Content-Length: " + std::to_string(pwtc.body.size()) + "\r\n");
    EXPECT_EQ(pwtc.head304, "HTTP/1.1 304 Not Modified\r\n" + common);
}

// The fast path: which requests the snapshot answers, and how.
class SnapshotAnswers : public ::testing::Test {
  protected:
    Request get(std::string_view target, verb method = verb::get) {
        Request request{method, target, 11};
        request.set(field::host, "localhost");
        return request;
    }
    void publish(std::chrono::steady_clock::duration age) {
        slot_.replace(AvailabilitySnapshot::build(viewOf(campaign_, 7, 0, 2500), campaign_,
                                                  std::chrono::steady_clock::now() - age));
    }

    domain::Campaign campaign_ = testing::pwtcCampaign();
    ::testing::StrictMock<testing::MockBookingStore> store_;
    testing::FixedClock clock_{testing::kMay26()};
    app::BookingService bookings_{campaign_, store_, clock_};
    ::testing::StrictMock<testing::MockLookupFailures> failures_;
    app::LookupGuard lookups_{bookings_, failures_, {}};
    ClientRateLimits rateLimits_{{}, {}};
    SnapshotSlot slot_;
    ServiceHealth health_;
    ApiHandler api_{campaign_, bookings_, lookups_, rateLimits_, slot_, health_, std::chrono::seconds(2)};
};

TEST_F(SnapshotAnswers, NothingBeforeTheFirstSnapshot) {
    EXPECT_FALSE(api_.answerFromSnapshot(get("/stations/PWTC")));
    EXPECT_FALSE(api_.answerFromSnapshot(get("/locations")));
}

TEST_F(SnapshotAnswers, AnswersGetAndHeadOfKnownLocationsAndLocations) {
    publish({});
    const auto station = api_.answerFromSnapshot(get("/stations/UM?x=1"));
    ASSERT_TRUE(station);
    EXPECT_EQ(station->prepared, station->snapshot->station("UM"));
    EXPECT_FALSE(station->notModified);
    EXPECT_EQ(station->staleSeconds, -1);
    const auto head = api_.answerFromSnapshot(get("/stations/PWTC", verb::head));
    ASSERT_TRUE(head);
    EXPECT_EQ(head->prepared, head->snapshot->station("PWTC"));
    const auto locations = api_.answerFromSnapshot(get("/locations"));
    ASSERT_TRUE(locations);
    EXPECT_EQ(locations->prepared, &locations->snapshot->locations());
}

TEST_F(SnapshotAnswers, LeavesEverythingElseToTheHandler) {
    publish({});
    for (const auto& [method, target] : std::vector<std::pair<verb, std::string>>{
             {verb::get, "/stations/NOWHERE"},
             {verb::get, "/stations/"},
             {verb::post, "/stations/PWTC"},
             {verb::delete_, "/locations"},
             {verb::get, "/locations/"},
             {verb::get, "/healthz"},
             {verb::get, "/booking/900127015527?phoneNumber=012"},
         }) {
        EXPECT_FALSE(api_.answerFromSnapshot(get(target, method))) << method << ' ' << target;
    }
}

TEST_F(SnapshotAnswers, SaysHowOldTheFiguresAreOnlyOnceStale) {
    publish(std::chrono::seconds(1));
    EXPECT_EQ(api_.answerFromSnapshot(get("/stations/PWTC"))->staleSeconds, -1);
    publish(std::chrono::seconds(7));
    const long long age = api_.answerFromSnapshot(get("/stations/PWTC"))->staleSeconds;
    EXPECT_GE(age, 7);
    EXPECT_LE(age, 8);
}

struct ConditionalCase {
    std::string name;
    std::string ifNoneMatch;  // "{etag}" stands for the station's current tag
    bool notModified;
};

void PrintTo(const ConditionalCase& c, std::ostream* out) { *out << "If-None-Match: " << c.ifNoneMatch; }

class Conditional : public SnapshotAnswers, public ::testing::WithParamInterface<ConditionalCase> {};

TEST_P(Conditional, NotModifiedOnlyForAMatchingTag) {
    publish({});
    const std::string etag = slot_.shared()->station("PWTC")->etag;
    std::string header = GetParam().ifNoneMatch;
    if (const auto at = header.find("{etag}"); at != std::string::npos) header.replace(at, 6, etag);
    Request request = get("/stations/PWTC");
    request.set(field::if_none_match, header);
    const auto reply = api_.answerFromSnapshot(request);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->notModified, GetParam().notModified);
}

INSTANTIATE_TEST_SUITE_P(Snapshot, Conditional,
                         ::testing::Values(ConditionalCase{"Exact", "{etag}", true},
                                           ConditionalCase{"Weak", "W/{etag}", true},
                                           ConditionalCase{"InAList", "\"0000000000000000\" , {etag}", true},
                                           ConditionalCase{"Star", "*", true},
                                           ConditionalCase{"Other", "\"0000000000000000\"", false},
                                           ConditionalCase{"Unquoted", "abc", false},
                                           ConditionalCase{"Empty", "", false}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace jkjav::http
